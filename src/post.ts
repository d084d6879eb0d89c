import { runCleanup } from './cleanup.js'

void runCleanup()
