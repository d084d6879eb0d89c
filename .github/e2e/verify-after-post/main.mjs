// Before the guard: the canister must run the module the rollback is to bring back, or a pass of the post
// step would prove nothing. The real check is post.mjs.
import { canisterStatus, commandMessage, input, normalisedHash } from './icp.mjs'

const expected = normalisedHash(input('expected-module-hash'))
const { module_hash: moduleHash, status } = canisterStatus()
if (normalisedHash(moduleHash) !== expected) {
  console.log(
    `::error::${commandMessage(`${input('canister')} runs ${moduleHash ?? 'no module'} before the guard, expected ${expected}`)}`
  )
  process.exit(1)
}
console.log(
  `${input('canister')} is ${status} and runs ${expected}; the post step checks it again after the rollback.`
)
