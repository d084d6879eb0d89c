// Every module dist/ can load, imported statically, for scripts/bundle-licenses.mjs: the main step with each
// mode it loads on demand, and the post step. Bundled only to list licenses; it never runs.
export { run } from '../src/main.js'
export { runCleanup } from '../src/cleanup.js'
export { create } from '../src/modes/create.js'
export { restore } from '../src/modes/restore.js'
export { list } from '../src/modes/list.js'
export { deleteSnapshots } from '../src/modes/delete.js'
export { downloadArtifact } from '../src/modes/download-artifact.js'
export { uploadArtifact } from '../src/modes/upload-artifact.js'
export { guardUpgrade } from '../src/modes/guard-upgrade.js'
