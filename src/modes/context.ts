import type { ActionInputs } from '../inputs/index.js'
import type { IcConnection } from '../ic/connect.js'
import type { Management } from '../ic/management.js'
import type { Report } from '../summary.js'

export interface ModeContext {
  inputs: ActionInputs
  management: Management
  connection: IcConnection
  report: Report
}
