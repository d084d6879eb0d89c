import * as core from '@actions/core'
import { InputError } from '../errors.js'

export function getTrimmed(name: string): string {
  return core.getInput(name).trim()
}

export function getChoice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
  const value = getTrimmed(name)
  if (value === '') return fallback
  if (!(choices as readonly string[]).includes(value)) {
    throw new InputError(name, `'${value}' is not accepted; expected one of ${choices.join(', ')}`)
  }
  return value as T
}

export function getWholeNumber(
  name: string,
  range: { min: number; max: number },
  fallback?: number
): number | undefined {
  const value = getTrimmed(name)
  if (value === '') return fallback
  if (!/^\d+$/.test(value) || Number(value) < range.min || Number(value) > range.max) {
    throw new InputError(name, `'${value}' is not a whole number from ${range.min} to ${range.max}`)
  }
  return Number(value)
}

/** YAML 1.2 core schema booleans, as actions/toolkit's getBooleanInput accepts them. */
export function getBoolean(name: string, fallback: boolean): boolean {
  const value = getTrimmed(name)
  if (value === '') return fallback
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new InputError(name, `'${value}' is not a boolean; expected true or false`)
}
