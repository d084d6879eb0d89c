/** Input names exactly as action.yml declares them. */
export enum Inputs {
  Mode = 'mode'
}

export enum Outputs {}

export enum State {}

export const MODES = [
  'create',
  'restore',
  'list',
  'delete',
  'download-artifact',
  'upload-artifact',
  'guard-upgrade'
] as const
export type Mode = (typeof MODES)[number]
