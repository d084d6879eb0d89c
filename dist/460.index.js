export const id = 460;
export const ids = [460];
export const modules = {

/***/ 99763:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hl: () => (/* binding */ checkRestored),
/* harmony export */   L6: () => (/* binding */ describeRestoreChecks)
/* harmony export */ });
/* unused harmony export hasRestoreChecks */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(27242);
/* harmony import */ var _guard_checks_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(72876);
/* harmony import */ var _guard_gates_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(19001);
/* harmony import */ var _guard_rollback_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9017);
/* harmony import */ var _guard_timeline_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(16038);
/* harmony import */ var _ic_errors_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(37649);
// A restore is done when the canister answers: after restore, or upload-artifact with `restore: true`, the
// guard's checks (module hash, health method, health command) run against the restored canister. A check
// that still fails after its retries loads the safety snapshot back, so the canister runs what it ran
// before the restore, and fails the step with one line.







/** Whether any check applies: without one, the module hash check of the mode itself is the whole check. */
function hasRestoreChecks(context) {
    const { guard } = context.inputs;
    return Boolean(guard.healthMethod || guard.healthCommand || guard.expectedModule);
}
/** The checks, for the dry run's plan: ", then check: …", or nothing. */
function describeRestoreChecks(context) {
    const checks = (0,_guard_checks_js__WEBPACK_IMPORTED_MODULE_2__/* .describeChecks */ .P)(context.inputs.guard);
    return checks.length > 0 ? `, then check: ${checks.join(', ')} (rolling back if one fails)` : '';
}
/** Runs the checks; resolves when all pass, and otherwise rolls back (if it can) and throws. */
async function checkRestored(context, restored) {
    if (!hasRestoreChecks(context))
        return;
    const { inputs, management, connection, report } = context;
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Outputs */ .tY.RolledBack, 'false');
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Outputs */ .tY.FailedCheck, '');
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .startGroup */ .Oh(`Checks of the restored ${restored.label}`);
    const timeline = new _guard_timeline_js__WEBPACK_IMPORTED_MODULE_5__/* .Timeline */ .K(report);
    let failed;
    try {
        failed = await (0,_guard_gates_js__WEBPACK_IMPORTED_MODULE_3__/* .runGates */ .AQ)((0,_guard_gates_js__WEBPACK_IMPORTED_MODULE_3__/* .buildGates */ .ds)(inputs.guard, [restored], { management, connection }), inputs.guard, timeline);
    }
    finally {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .endGroup */ .N4();
    }
    if (!failed) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`The restored ${restored.label} passed every check`);
        return;
    }
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Outputs */ .tY.FailedCheck, failed.check);
    const what = `The restored canister failed the ${failed.check} check (${failed.label}): ${failed.detail}.`;
    if (!restored.safety || !restored.moduleHashBefore) {
        // Nothing to go back to: the canister was empty, or the safety snapshot was turned off.
        throw new _ic_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ActionError */ .lZ(`${what} It keeps the state of ${restored.snapshotId}: there is no safety snapshot to roll back to.`);
    }
    const outcomes = await (0,_guard_rollback_js__WEBPACK_IMPORTED_MODULE_4__/* .rollBack */ .Fu)(management, [
        {
            id: restored.canisterId.toText(),
            label: restored.label,
            snapshotId: restored.safety.id,
            moduleHash: restored.moduleHashBefore
        }
    ], { stopTimeoutSeconds: inputs.stopTimeoutSeconds, timeline });
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Outputs */ .tY.RolledBack, outcomes.every(o => o.restored) ? 'true' : 'false');
    (0,_guard_rollback_js__WEBPACK_IMPORTED_MODULE_4__/* .reportFinalState */ .US)(report, outcomes);
    throw new _ic_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ActionError */ .lZ(`${what} ${(0,_guard_rollback_js__WEBPACK_IMPORTED_MODULE_4__/* .rollbackSentence */ .QV)(outcomes, inputs.network)}`);
}


/***/ }),

/***/ 77:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B_: () => (/* binding */ describeSafetyPlan),
/* harmony export */   bM: () => (/* binding */ loadWithSafetySnapshot),
/* harmony export */   sd: () => (/* binding */ planSafetySnapshot)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(27242);
/* harmony import */ var _ic_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(37649);
/* harmony import */ var _ic_lifecycle_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(43199);
/* harmony import */ var _ic_snapshot_limit_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(25272);
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(28855);
// Every restore can be undone: before a snapshot is loaded over the canister's state, that state is kept as
// a safety snapshot, in the same stop window as the load (stop, take it, load, start), so that loading the
// safety snapshot gives back exactly what the restore replaced. Shared by restore and upload-artifact.






/** Decided in the preflight, before the first stop or the first uploaded byte. */
function planSafetySnapshot(context, target) {
    const { inputs } = context;
    const id = target.canisterId.toText();
    if (inputs.safetySnapshot === false) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`'${_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Inputs */ .G0.SafetySnapshot}: false': no safety snapshot of ${id}; the state it has now cannot be brought back`);
        return { take: false, reason: 'turned off' };
    }
    if (!target.moduleHash) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${id} has no code installed: nothing to lose, so no safety snapshot is taken`);
        return { take: false, reason: 'empty canister' };
    }
    const { upload } = target;
    const afterUpload = target.snapshots.length + (upload && !upload.replace ? 1 : 0);
    if (afterUpload < _constants_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_SNAPSHOTS_PER_CANISTER */ .Ph)
        return { take: true };
    const uploadNote = upload ? ' (counting the uploaded one)' : '';
    if (inputs.onLimit !== 'replace-oldest') {
        throw new _ic_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .lZ(`${id} would hold ${afterUpload} snapshots${uploadNote}, the most the IC allows, and the safety snapshot that makes this restore undoable needs one more; set '${_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Inputs */ .G0.OnLimit}: replace-oldest', remove some with 'mode: delete', or set '${_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Inputs */ .G0.SafetySnapshot}: false'.`);
    }
    // Never the snapshot being loaded, nor the one the upload replaces (the uploaded one is not listed yet).
    const spared = new Set([target.restoring, upload?.replace?.id].filter(Boolean));
    const replace = target.snapshots.find(s => !spared.has(s.id));
    if (!replace) {
        throw new _ic_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .lZ(`${id} has no snapshot the safety snapshot may replace; remove some with 'mode: delete', or set '${_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Inputs */ .G0.SafetySnapshot}: false'.`);
    }
    return { take: true, replace };
}
/** The plan's words, for the dry run's plan and the log. */
function describeSafetyPlan(plan) {
    if (!plan.take)
        return `no safety snapshot (${plan.reason === 'empty canister' ? 'the canister is empty' : `'${_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Inputs */ .G0.SafetySnapshot}: false'`})`;
    return `take a safety snapshot of the current state${plan.replace ? ` replacing the oldest, ${plan.replace.id}` : ''}`;
}
/**
 * Stops the canister, takes the planned safety snapshot, loads `snapshotId`, and starts the canister again
 * (whatever happens). The safety snapshot's id is an output and in the summary as soon as it exists, so a
 * load that fails still leaves the way back.
 */
async function loadWithSafetySnapshot(context, target, plan, snapshotId) {
    const { inputs, management } = context;
    const { canisterId } = target;
    if (plan.take && plan.replace?.id === snapshotId) {
        // Only a resumed upload can get here: it continued a snapshot that was listed in the preflight.
        throw new _ic_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .lZ(`The safety snapshot was planned to replace ${snapshotId}, the snapshot to load; nothing was stopped or loaded. Run the step again.`);
    }
    const { result: safety } = await (0,_ic_lifecycle_js__WEBPACK_IMPORTED_MODULE_3__/* .withCanisterStopped */ .$)(management, canisterId, { stopTimeoutSeconds: inputs.stopTimeoutSeconds, startAfterwards: 'always' }, async () => {
        let taken;
        if (plan.take) {
            const safety = await takeSafetySnapshot(context, canisterId, plan.replace, snapshotId);
            taken = safety.taken;
            reportSafetySnapshot(context, target, taken, safety.replaced);
        }
        await management.loadSnapshot(canisterId, snapshotId);
        return taken;
    });
    if (!plan.take) {
        context.report.note(`No safety snapshot: ${plan.reason === 'empty canister' ? `${target.label} had no code, so nothing was lost` : `'${_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Inputs */ .G0.SafetySnapshot}: false'`}.`);
    }
    return safety;
}
/**
 * Takes the safety snapshot as planned. The plan counted with the documented limit of 10; a subnet may allow
 * fewer, and a take refused at the limit names it (snapshot-limit.ts): then `on-limit` decides as in the
 * plan, sparing the snapshot about to be loaded.
 */
async function takeSafetySnapshot(context, canisterId, planned, loading) {
    const { inputs, management } = context;
    try {
        return { taken: await management.takeSnapshot(canisterId, planned?.id), replaced: planned };
    }
    catch (error) {
        const limit = (0,_ic_snapshot_limit_js__WEBPACK_IMPORTED_MODULE_4__/* .snapshotLimitFromReject */ .l)(error);
        if (limit === undefined || planned)
            throw error;
        const id = canisterId.toText();
        const snapshots = await management.listSnapshots(canisterId);
        if (inputs.onLimit !== 'replace-oldest') {
            throw new _ic_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .lZ(`${id} holds ${snapshots.length} snapshots, the most the IC allows (${limit}, as its reject says), and the safety snapshot that makes this restore undoable needs one more; set '${_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Inputs */ .G0.OnLimit}: replace-oldest', remove some with 'mode: delete', or set '${_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Inputs */ .G0.SafetySnapshot}: false'.`);
        }
        const replaced = snapshots.find(s => s.id !== loading);
        if (!replaced) {
            throw new _ic_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .lZ(`${id} has no snapshot the safety snapshot may replace; remove some with 'mode: delete', or set '${_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Inputs */ .G0.SafetySnapshot}: false'.`);
        }
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`The IC allows ${limit} snapshots per canister (its reject says so): the safety snapshot replaces the oldest, ${replaced.id}`);
        return { taken: await management.takeSnapshot(canisterId, replaced.id), replaced };
    }
}
function reportSafetySnapshot(context, target, safety, replaced) {
    const id = target.canisterId.toText();
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Outputs */ .tY.SafetySnapshotId, safety.id);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Took safety snapshot ${safety.id} (${(0,_summary_js__WEBPACK_IMPORTED_MODULE_5__/* .formatBytes */ .z3)(safety.sizeBytes)}) of the state before the restore${replaced ? `; it replaced ${replaced.id}` : ''}`);
    const on = icpNetworkFlags(context.inputs.network);
    const icp = [
        `icp canister stop ${id} ${on}`,
        `icp canister snapshot restore ${id} ${safety.id} ${on}`,
        `icp canister start ${id} ${on}`
    ];
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`To undo this restore, run this action with 'mode: restore', 'canister: ${id}', 'snapshot-id: ${safety.id}', or: ${icp.map(c => `'${c}'`).join(', ')}`);
    context.report.table('Safety snapshot (to undo this restore)', ['', ''], [
        ['Canister', target.label],
        [
            'Safety snapshot',
            `<code>${safety.id}</code>, taken at ${(0,_summary_js__WEBPACK_IMPORTED_MODULE_5__/* .isoTime */ .Ly)(safety.takenAtNs)}${replaced ? ` (replaced <code>${replaced.id}</code>)` : ''}`
        ],
        [
            'Undo with this action',
            `<code>mode: restore</code>, <code>canister: ${id}</code>, <code>snapshot-id: ${safety.id}</code>`
        ],
        ['Undo with icp-cli', icp.map(c => `<code>${c}</code>`).join('<br>')]
    ]);
}
// icp-cli targets the project's local network unless told otherwise; a URL network needs a root key. The
// same flags as the rollback's hand-restore commands (src/guard/rollback.ts).
function icpNetworkFlags(network) {
    return network.kind === 'ic' ? '-n ic' : `-n ${network.url} --root-key fetch`;
}


/***/ }),

/***/ 80460:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  uploadArtifact: () => (/* binding */ uploadArtifact)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(46466);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(33838);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(27242);
// EXTERNAL MODULE: ./src/github/artifact.ts + 3 modules
var github_artifact = __webpack_require__(35479);
// EXTERNAL MODULE: ./src/github/ghes.ts
var ghes = __webpack_require__(95616);
// EXTERNAL MODULE: ./src/ic/errors.ts
var errors = __webpack_require__(37649);
// EXTERNAL MODULE: ./src/snapshot-dir/verify.ts
var verify = __webpack_require__(68229);
// EXTERNAL MODULE: ./src/summary.ts
var summary = __webpack_require__(28855);
// EXTERNAL MODULE: ./src/ic/snapshot-limit.ts
var snapshot_limit = __webpack_require__(25272);
// EXTERNAL MODULE: ./src/ic/snapshot-data.ts + 1 modules
var snapshot_data = __webpack_require__(9790);
// EXTERNAL MODULE: ./src/ic/snapshot-id.ts
var snapshot_id = __webpack_require__(3494);
// EXTERNAL MODULE: ./src/ic/retry.ts
var retry = __webpack_require__(67546);
// EXTERNAL MODULE: ./src/snapshot-dir/layout.ts
var layout = __webpack_require__(39526);
// EXTERNAL MODULE: ./src/snapshot-dir/metadata.ts + 1 modules
var snapshot_dir_metadata = __webpack_require__(55736);
// EXTERNAL MODULE: ./src/transfer/defaults.ts
var defaults = __webpack_require__(19429);
// EXTERNAL MODULE: ./src/transfer/errors.ts
var transfer_errors = __webpack_require__(56508);
// EXTERNAL MODULE: ./src/transfer/congestion.ts
var transfer_congestion = __webpack_require__(69708);
// EXTERNAL MODULE: ./src/transfer/flow.ts
var flow = __webpack_require__(30519);
// EXTERNAL MODULE: ./src/transfer/progress-files.ts
var progress_files = __webpack_require__(41638);
// EXTERNAL MODULE: ./src/transfer/progress-log.ts
var progress_log = __webpack_require__(87851);
// EXTERNAL MODULE: ./src/transfer/progress-saver.ts
var progress_saver = __webpack_require__(14596);
// EXTERNAL MODULE: ./src/transfer/slices.ts
var slices = __webpack_require__(3368);
// EXTERNAL MODULE: ./src/state-provider.ts
var state_provider = __webpack_require__(39890);
;// CONCATENATED MODULE: ./src/transfer/unfinished-upload.ts
// An upload that nothing can resume (its directory came from an artifact, and the next run downloads it
// anew) is recorded for the post step from the moment its snapshot exists until it is complete: a step that
// is killed or cancelled part-way runs no catch, and its half-uploaded, zero-filled snapshot would take a
// slot and look like a snapshot. The post step deletes it (cleanup.ts).


function recordUnfinishedUpload(upload) {
    (0,state_provider/* saveSignedState */.b)(constants/* State */.Uw.UnfinishedUpload, JSON.stringify(upload));
}
function clearUnfinishedUpload() {
    (0,state_provider/* saveSignedState */.b)(constants/* State */.Uw.UnfinishedUpload, '');
}
/** In the post step: the upload the main step left unfinished, if any, or 'forged' when it is not its own. */
function unfinishedUpload() {
    const record = readSignedState(State.UnfinishedUpload);
    if (record.kind === 'forged')
        return 'forged';
    if (record.kind === 'none')
        return undefined;
    try {
        const parsed = JSON.parse(record.value);
        if (typeof parsed.canisterId !== 'string' || typeof parsed.snapshotId !== 'string')
            return undefined;
        return { canisterId: parsed.canisterId, snapshotId: parsed.snapshotId };
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/transfer/upload.ts
// Upload of a snapshot directory as a new snapshot of a canister: verified first (nothing is sent otherwise),
// then the metadata, then the memories' slices with a bounded number in flight, read from disk as they go,
// then the chunk store; resumable from icp-cli's .upload_progress.json.






















async function uploadSnapshot(options) {
    const { connection, canisterId, dir } = options;
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const verified = await (0,verify/* verifySnapshotDir */.d)(dir);
    const { metadata } = verified;
    const sizes = Object.fromEntries(layout/* BLOB_KINDS */.yD.map(kind => [kind, Number((0,layout/* blobSize */.LE)(metadata, kind))]));
    const progressFile = options.resume ? (0,progress_files/* uploadProgressFileFor */.Q$)(dir) : undefined;
    let progress = progressFile
        ? await resumable(connection, progressFile, metadata, sizes, canisterId)
        : undefined;
    const resumed = progress !== undefined;
    // The old snapshot goes only once the new one is complete, unless there is no room for the new one.
    let replaceAfter;
    if (!progress) {
        const atLimit = options.replace !== undefined &&
            (await listSnapshotIds(connection, canisterId)).length >= constants/* MAX_SNAPSHOTS_PER_CANISTER */.Ph;
        if (options.replace && atLimit)
            core/* info */.pq(`${canisterId.toText()} has ${constants/* MAX_SNAPSHOTS_PER_CANISTER */.Ph} snapshots, no room for another: the IC replaces ${options.replace} as the upload starts`);
        else
            replaceAfter = options.replace;
        const param = (0,snapshot_dir_metadata/* toUploadParam */.yv)(metadata);
        const snapshotId = await (0,snapshot_data/* uploadSnapshotMetadata */.V0)(connection, canisterId, param, atLimit ? options.replace : undefined).catch(async (error) => {
            // At a limit lower than the documented one the IC's reject names it (snapshot-limit.ts).
            const limit = (0,snapshot_limit/* snapshotLimitFromReject */.l)(error);
            if (limit === undefined || !options.replace || atLimit)
                throw error;
            core/* info */.pq(`The IC allows ${limit} snapshots per canister (its reject says so), no room for another: the IC replaces ${options.replace} as the upload starts`);
            replaceAfter = undefined;
            return (0,snapshot_data/* uploadSnapshotMetadata */.V0)(connection, canisterId, param, options.replace);
        });
        progress = {
            snapshotId,
            metadataUploaded: true,
            offsets: { wasm_module: 0, wasm_memory: 0, stable_memory: 0 },
            chunksUploaded: new Set()
        };
        // Saved at once: a rerun must continue this snapshot, not create another; or, when nothing can resume
        // it, the post step of a killed step deletes it.
        if (progressFile)
            await (0,progress_files/* saveUploadProgress */.Ig)(progressFile, progress);
        else
            recordUnfinishedUpload({ canisterId: canisterId.toText(), snapshotId });
    }
    else {
        core/* info */.pq(`Resuming the upload to snapshot ${progress.snapshotId} recorded in ${progressFile}`);
    }
    const state = progress;
    const data = new snapshot_data/* SnapshotData */.N(connection, canisterId, state.snapshotId);
    // Slices finish out of order; the file records the contiguous prefix, as icp-cli's does.
    const prefixes = Object.fromEntries(layout/* BLOB_KINDS */.yD.map(kind => [kind, new slices/* SliceProgress */.yz(sizes[kind], state.offsets[kind])]));
    const saver = new progress_saver/* ProgressSaver */.R(async () => {
        if (progressFile)
            await (0,progress_files/* saveUploadProgress */.Ig)(progressFile, state);
    });
    const handles = {};
    for (const kind of layout/* BLOB_KINDS */.yD) {
        if (sizes[kind] > state.offsets[kind])
            handles[kind] = await (0,promises_.open)((0,external_node_path_.join)(dir, (0,layout/* blobFile */.c7)(kind)), 'r');
    }
    const totalBytes = layout/* BLOB_KINDS */.yD.reduce((sum, kind) => sum + sizes[kind], 0);
    const doneBytes = () => layout/* BLOB_KINDS */.yD.reduce((sum, kind) => sum + prefixes[kind].doneBytes, 0);
    const onProgress = options.onProgress ?? (0,progress_log/* progressLogger */.St)();
    let transferred = 0;
    const jobs = [
        ...layout/* BLOB_KINDS */.yD.flatMap(kind => [...(0,slices/* slicesOf */.nu)(kind, sizes[kind], () => true, state.offsets[kind])]),
        ...metadata.wasmChunkStore
            .map(hash => Buffer.from(hash).toString('hex'))
            .filter(hex => !state.chunksUploaded.has(hex))
            .map(hash => ({ kind: 'wasm_chunk', hash }))
    ];
    const congestion = (0,flow/* congestionFor */.d)(data, options.concurrency ?? defaults/* DEFAULT_CONCURRENCY */.WH);
    try {
        await (0,transfer_congestion/* runAdaptive */.UL)(jobs, congestion, async (job) => {
            if (job.kind === 'wasm_chunk') {
                const bytes = await (0,promises_.readFile)((0,external_node_path_.join)(dir, (0,layout/* chunkFile */.E9)(job.hash)));
                await (0,transfer_errors/* step */.PM)(`sending Wasm chunk ${job.hash}`, () => data.uploadChunk(bytes));
                state.chunksUploaded.add(job.hash);
                transferred += bytes.length;
                saver.request();
                return;
            }
            const bytes = await (0,transfer_errors/* step */.PM)(`reading ${(0,layout/* blobFile */.c7)(job.kind)} at ${job.offset}`, () => readAt(handles[job.kind], job.offset, job.size));
            await (0,transfer_errors/* step */.PM)(`sending ${job.kind} at ${job.offset}`, () => (0,flow/* timed */.a)(congestion, `upload ${job.kind} at ${job.offset}`, async () => {
                await data.uploadSlice(job.kind, job.offset, bytes);
                return bytes.length;
            }));
            prefixes[job.kind].complete(job.offset);
            state.offsets[job.kind] = prefixes[job.kind].frontier;
            transferred += bytes.length;
            saver.request();
            onProgress({
                direction: 'upload',
                doneBytes: doneBytes(),
                totalBytes,
                transferredBytes: transferred,
                elapsedSeconds: seconds()
            });
        });
    }
    catch (error) {
        await saver.flush().catch(() => undefined);
        await closeAll(handles);
        const stopped = `Upload to snapshot ${state.snapshotId} of ${canisterId.toText()} stopped: ${(0,errors/* describe */.q0)(error)}.`;
        if (!progressFile) {
            // Nothing can resume it: the half-uploaded snapshot would only take a slot, and look like a snapshot.
            const removed = await deleteSnapshotQuietly(connection, canisterId, state.snapshotId);
            if (removed)
                clearUnfinishedUpload();
            throw new transfer_errors/* TransferError */.aG(`${stopped} ${removed ? `The half-uploaded snapshot ${state.snapshotId} was deleted` : `Delete the half-uploaded snapshot ${state.snapshotId} with mode 'delete'`}${replaceAfter ? `; ${replaceAfter} is kept` : ''}.`);
        }
        const stale = resumed && error instanceof transfer_errors/* TransferStepError */.M4 && error.cause instanceof errors/* IcRejectError */.Qr
            ? ` If snapshot ${state.snapshotId} is gone, delete ${progressFile} to start a new upload.`
            : '';
        throw new transfer_errors/* TransferError */.aG(`${stopped} ${(0,progress_log/* formatMB */.fl)(doneBytes())} of ${(0,progress_log/* formatMB */.fl)(totalBytes)} are recorded in ${progressFile}; ` +
            `an upload of the same directory sends only the rest.${replaceAfter ? ` ${replaceAfter} is kept.` : ''}${stale}`);
    }
    core/* info */.pq(`Slices in flight: ${congestion.summary()}`);
    await saver.flush();
    await closeAll(handles);
    if (progressFile)
        await (0,progress_files/* removeUploadProgress */.t$)(progressFile);
    else
        clearUnfinishedUpload();
    if (replaceAfter) {
        await (0,retry/* withRetry */.b)(`delete_canister_snapshot ${replaceAfter} of ${canisterId.toText()}`, () => connection.management.deleteCanisterSnapshot({
            canisterId,
            snapshotId: (0,snapshot_id/* snapshotIdFromHex */.Nm)(replaceAfter)
        }));
        core/* info */.pq(`Deleted ${replaceAfter}, which the new snapshot ${state.snapshotId} replaces`);
    }
    return {
        snapshotId: state.snapshotId,
        bytes: transferred,
        seconds: seconds(),
        resumed,
        inFlight: { peak: congestion.peak, last: congestion.level }
    };
}
async function listSnapshotIds(connection, canisterId) {
    const list = await (0,retry/* withRetry */.b)(`list_canister_snapshots of ${canisterId.toText()}`, () => connection.management.listCanisterSnapshots({ canisterId }));
    return list.map(s => (0,snapshot_id/* snapshotIdToHex */.yF)(new Uint8Array(s.id)));
}
async function deleteSnapshotQuietly(connection, canisterId, id) {
    try {
        await (0,retry/* withRetry */.b)(`delete_canister_snapshot ${id} of ${canisterId.toText()}`, () => connection.management.deleteCanisterSnapshot({ canisterId, snapshotId: (0,snapshot_id/* snapshotIdFromHex */.Nm)(id) }));
        return true;
    }
    catch {
        return false;
    }
}
/**
 * The recorded upload, if it still checks out: metadata sent, a snapshot of this canister that still exists,
 * one that was uploaded (not taken: loading a taken one would bring back some older state), and with the
 * very metadata of this directory. Otherwise a new upload starts, and the log says why.
 */
async function resumable(connection, file, metadata, sizes, canisterId) {
    const progress = await (0,progress_files/* loadUploadProgress */.pp)(file, sizes);
    if (!progress || !progress.metadataUploaded)
        return undefined;
    const fresh = (why) => {
        core/* info */.pq(`${file} records an upload to snapshot ${progress.snapshotId}, which ${why}; starting a new upload`);
        return undefined;
    };
    if (!(0,snapshot_id/* isSnapshotIdOf */.Fs)(progress.snapshotId, canisterId.toUint8Array()))
        return fresh('is of another canister');
    if (!(await listSnapshotIds(connection, canisterId)).includes(progress.snapshotId))
        return fresh(`${canisterId.toText()} no longer has`);
    const there = (0,snapshot_dir_metadata/* metadataFromResponse */.TG)(await new snapshot_data/* SnapshotData */.N(connection, canisterId, progress.snapshotId).readMetadata());
    if (there.source !== 'metadata_upload')
        return fresh('was taken from the canister, not uploaded');
    if (!sameUpload((0,snapshot_dir_metadata/* toUploadParam */.yv)(there), (0,snapshot_dir_metadata/* toUploadParam */.yv)(metadata)))
        return fresh(`has other metadata than this directory's ${layout/* METADATA_FILE */.VR}`);
    return progress;
}
/** Whether two upload parameters are equal field by field (bigints and byte arrays included). */
function sameUpload(a, b) {
    const canonical = (value) => JSON.stringify(value, (_, v) => typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v);
    return canonical(a) === canonical(b);
}
/** Reads `size` bytes at `position`: only one slice per worker is in memory at a time. */
async function readAt(handle, position, size) {
    const buffer = Buffer.allocUnsafe(size);
    for (let filled = 0; filled < size;) {
        const { bytesRead } = await handle.read(buffer, filled, size - filled, position + filled);
        if (bytesRead === 0)
            throw new transfer_errors/* TransferError */.aG(`the file ended at byte ${position + filled} while reading a slice`);
        filled += bytesRead;
    }
    return buffer;
}
async function closeAll(handles) {
    await Promise.all(Object.values(handles).map(handle => handle?.close().catch(() => undefined)));
}

// EXTERNAL MODULE: ./src/modes/cycles-preflight.ts + 1 modules
var cycles_preflight = __webpack_require__(63184);
// EXTERNAL MODULE: ./src/modes/preflight.ts
var preflight = __webpack_require__(63611);
// EXTERNAL MODULE: ./node_modules/@icp-sdk/core/lib/esm/principal/principal.js + 2 modules
var principal = __webpack_require__(40826);
// EXTERNAL MODULE: ./src/errors.ts
var src_errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/untrusted-text.ts
var untrusted_text = __webpack_require__(38521);
;// CONCATENATED MODULE: ./src/github/run-origin.ts
// Where another workflow run's code came from, read through GitHub's REST API before any of its artifacts is
// used: a `pull_request` run from a fork runs the fork's code, which can write any snapshot into an artifact
// of that run (GET /repos/{owner}/{repo}/actions/runs/{run_id}, fields `event` and `head_repository`).


// A workflow-run object is a few KiB; anything far larger is not one.
const MAX_RESPONSE_BYTES = 1 << 20;
async function readRunOrigin(run) {
    const api = (process.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
    const where = `run ${run.runId} of ${run.owner}/${run.repo}`;
    let response;
    try {
        response = await fetch(`${api}/repos/${run.owner}/${run.repo}/actions/runs/${run.runId}`, {
            headers: {
                accept: 'application/vnd.github+json',
                authorization: `Bearer ${run.token}`,
                'x-github-api-version': '2022-11-28'
            },
            signal: AbortSignal.timeout(30_000)
        });
    }
    catch (error) {
        throw new errors/* ActionError */.lZ(`Could not read ${where} through the GitHub API: ${(0,errors/* describe */.q0)(error)}`);
    }
    const text = await response.text();
    if (!response.ok) {
        throw new errors/* ActionError */.lZ(`Could not read ${where} through the GitHub API: HTTP ${response.status} ${(0,untrusted_text/* inert */.tJ)(text, 200)}`);
    }
    if (text.length > MAX_RESPONSE_BYTES)
        throw new errors/* ActionError */.lZ(`The GitHub API's answer about ${where} is too large`);
    const json = JSON.parse(text);
    const repository = typeof json.repository?.full_name === 'string' ? json.repository.full_name : '';
    // GitHub reports no head repository once a fork is deleted: its code still came from outside.
    const headRepository = typeof json.head_repository?.full_name === 'string' ? json.head_repository.full_name : '(deleted fork)';
    if (typeof json.event !== 'string' || !repository) {
        throw new errors/* ActionError */.lZ(`The GitHub API's answer about ${where} has no event or repository`);
    }
    return {
        runId: run.runId,
        repository,
        event: json.event,
        headRepository,
        headSha: typeof json.head_sha === 'string' ? json.head_sha : ''
    };
}
/** Whether the run ran code from another repository than its own (a fork's pull request). */
function ranForeignCode(origin) {
    return origin.headRepository.toLowerCase() !== origin.repository.toLowerCase();
}

;// CONCATENATED MODULE: ./src/modes/provenance.ts
// Where a snapshot about to be uploaded came from, said before anything changes, and checked against what the
// step expects: the run that stored the artifact, the canister it was taken from, and the canister it goes to.
// An artifact can come from any run that could write one, including a fork's pull request (SECURITY.md).







/**
 * Before an artifact of another run is downloaded: the run must not have run a fork's code, unless
 * `allow-fork-artifact` says to take it.
 */
async function checkOtherRun(fromRun, allowFork) {
    const origin = await readRunOrigin(fromRun);
    core/* info */.pq(`Run ${origin.runId} of ${origin.repository} was started by '${origin.event}' with code from ${origin.headRepository}${origin.headSha ? ` at ${origin.headSha}` : ''}`);
    if (ranForeignCode(origin)) {
        if (!allowFork) {
            throw new src_errors/* InputError */.d(constants/* Inputs */.G0.AllowForkArtifact, `run ${origin.runId} ran code from ${origin.headRepository}, not ${origin.repository} (a fork's '${origin.event}' run), and such code can write any snapshot into its artifacts; set it to 'true' only for an artifact you have checked`);
        }
        core/* warning */.$e(`Using an artifact of run ${origin.runId}, which ran code from ${origin.headRepository}: '${constants/* Inputs */.G0.AllowForkArtifact}' is true`);
    }
    return origin;
}
/**
 * Checks the manifest (already parsed field by field) against where the directory came from and where it
 * goes, and says where the snapshot came from. Throws before the first byte is uploaded.
 */
function checkProvenance(options) {
    const { manifest, source, target, restore, allowedSource } = options;
    const fromOtherRun = source.kind === 'artifact' && source.fromRun !== undefined;
    if (!manifest) {
        if (fromOtherRun)
            throw new errors/* ActionError */.lZ(`The artifact '${source.name}' of run ${source.fromRun?.runId} has no manifest.json; an artifact of another run must say which canister and snapshot it holds, so nothing was uploaded.`);
        if (allowedSource)
            throw new src_errors/* InputError */.d(constants/* Inputs */.G0.SourceCanister, 'cannot be checked: the snapshot directory has no manifest.json naming the canister it was taken from');
        return { description: 'no manifest.json: the canister and run it came from are unknown' };
    }
    const sourceCanister = manifest.canister;
    if (!(0,snapshot_id/* isSnapshotIdOf */.Fs)(manifest.snapshot_id, principal/* Principal */.p.fromText(sourceCanister).toUint8Array()))
        throw new errors/* ActionError */.lZ(`manifest.json names snapshot ${manifest.snapshot_id}, which is not a snapshot id of ${sourceCanister}, the canister it names; nothing was uploaded.`);
    if (source.kind === 'artifact')
        checkSameRun(manifest, source);
    const foreign = sourceCanister !== target.toText();
    if (allowedSource && allowedSource.toText() !== sourceCanister) {
        throw new src_errors/* InputError */.d(constants/* Inputs */.G0.SourceCanister, `is ${allowedSource.toText()}, but the snapshot was taken from ${sourceCanister}; nothing was uploaded`);
    }
    if (restore && foreign && !allowedSource) {
        throw new src_errors/* InputError */.d(constants/* Inputs */.G0.SourceCanister, `is required to load a snapshot of ${sourceCanister} into ${target.toText()}: with 'restore: true' a snapshot of another canister is loaded only when 'source-canister: ${sourceCanister}' says so`);
    }
    const from = manifest.source;
    const run = from?.run_id
        ? `downloaded by run ${from.run_id}${from.repository ? ` of ${from.repository}` : ''}${from.commit ? ` at commit ${from.commit}` : ''}`
        : 'downloaded outside a workflow run';
    return {
        sourceCanister,
        description: `snapshot ${manifest.snapshot_id} of ${sourceCanister}, taken ${manifest.taken_at}, module ${manifest.module_hash || 'none'}; ${run}`
    };
}
/**
 * An artifact's manifest names the run that downloaded the snapshot; download-artifact stores it in that same
 * run. A manifest naming another run is an artifact copied or replayed from elsewhere; with `encrypt-with`
 * the manifest is authenticated, so an old genuine artifact cannot be passed off as this run's.
 */
function checkSameRun(manifest, source) {
    const runId = source.fromRun ? String(source.fromRun.runId) : process.env.GITHUB_RUN_ID;
    const repository = source.fromRun
        ? `${source.fromRun.owner}/${source.fromRun.repo}`
        : process.env.GITHUB_REPOSITORY;
    const recorded = manifest.source;
    if (recorded?.run_id && runId && recorded.run_id !== runId) {
        throw new errors/* ActionError */.lZ(`The artifact '${source.name}' was fetched from run ${runId}, but its manifest.json says run ${recorded.run_id} downloaded the snapshot: a copied or replayed artifact, so nothing was uploaded.`);
    }
    if (recorded?.repository && repository && recorded.repository.toLowerCase() !== repository.toLowerCase()) {
        throw new errors/* ActionError */.lZ(`The artifact '${source.name}' was fetched from ${repository}, but its manifest.json says ${recorded.repository} downloaded the snapshot, so nothing was uploaded.`);
    }
}

// EXTERNAL MODULE: ./src/modes/safety-snapshot.ts
var safety_snapshot = __webpack_require__(77);
// EXTERNAL MODULE: ./src/inputs/transfer.ts
var inputs_transfer = __webpack_require__(49898);
// EXTERNAL MODULE: ./src/modes/restore-check.ts
var restore_check = __webpack_require__(99763);
// EXTERNAL MODULE: ./src/modes/take-snapshots.ts
var take_snapshots = __webpack_require__(83765);
;// CONCATENATED MODULE: ./src/modes/upload-artifact.ts
// upload-artifact: a snapshot directory (an artifact of this or another run, or a local path) verified,
// uploaded to a canister as a new snapshot, and, with `restore`, loaded into it.





















async function uploadArtifact(context) {
    const { inputs, management, connection, report } = context;
    const [canister] = inputs.canisters;
    const canisterId = canister.principal;
    const label = (0,take_snapshots/* canisterLabel */.u5)(canister);
    const { transfer } = inputs;
    let dir;
    let artifact;
    let source;
    if (transfer.path) {
        dir = transfer.path;
        source = { kind: 'path', dir };
    }
    else {
        // Before another run is looked up or anything is read: on GHES no artifact can be fetched.
        (0,ghes/* checkArtifactsSupported */.M)('upload-artifact from an artifact', 'nothing was changed. On GHES, give `path`: a snapshot directory on the runner');
        const name = transfer.artifactName;
        // Where another run's code came from is known before a byte of its artifact is read.
        const origin = transfer.fromRun
            ? await checkOtherRun(transfer.fromRun, transfer.allowForkArtifact)
            : undefined;
        dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)(process.env.RUNNER_TEMP || process.cwd(), 'canister-snapshot-'));
        artifact = await (0,github_artifact/* fetchArtifact */.t)(name, dir, transfer.fromRun, transfer.encryptWith);
        source = {
            kind: 'artifact',
            name,
            ...(transfer.fromRun ? { fromRun: transfer.fromRun } : {}),
            ...(origin ? { origin } : {})
        };
    }
    // Nothing reaches the IC before every file is verified and its provenance checked.
    const verified = await (0,verify/* verifySnapshotDir */.d)(dir, { untrusted: source.kind === 'artifact' });
    core/* info */.pq(`Verified ${dir}: ${verified.checksums === 'sha256sums' ? 'every file matches SHA256SUMS' : 'sizes and chunk hashes match (no SHA256SUMS)'}`);
    const provenance = checkProvenance({
        ...(verified.manifest ? { manifest: verified.manifest } : {}),
        source,
        target: canisterId,
        restore: transfer.restore,
        ...(transfer.sourceCanister ? { allowedSource: transfer.sourceCanister } : {})
    });
    core/* info */.pq(`Provenance: ${provenance.description}`);
    const sourceCanister = provenance.sourceCanister;
    const moduleHash = verified.manifest?.module_hash || (await moduleHashOf(verified.wasmModulePath));
    core/* startGroup */.Oh('Preflight');
    const [plan, safety] = await planUploadAndSafety(context, canister, verified.totalBytes).finally(() => core/* endGroup */.N4());
    if (inputs.dryRun) {
        const plan_ = `upload ${dir} to ${label}${plan.moduleHash ? '' : ' (empty)'} as a new snapshot${plan.replace ? ` replacing ${plan.replace.id}` : ''}${safety ? `, then stop, ${(0,safety_snapshot/* describeSafetyPlan */.B_)(safety)}, load it and start` : ''}${transfer.restore ? (0,restore_check/* describeRestoreChecks */.L6)(context) : ''}${transfer.deleteAfterRestore ? ', then delete the uploaded snapshot' : ''}`;
        core/* info */.pq(`[dry run] would ${plan_}`);
        report.table('Plan (dry run, nothing changed)', ['Step'], [[plan_]]);
        return;
    }
    core/* startGroup */.Oh(`Upload to ${label}`);
    const uploaded = await uploadSnapshot({
        connection,
        canisterId,
        dir,
        concurrency: transfer.concurrency,
        // Only a local directory resumes, from state kept beside it (icp-cli's .upload_progress.json), and only
        // one in the job's own directories: elsewhere the action reads, and writes nothing. An artifact's upload
        // starts anew.
        resume: source.kind === 'path' && (0,inputs_transfer/* isInsideJobDirs */.iO)(dir),
        ...(plan.replace ? { replace: plan.replace.id } : {})
    }).finally(() => core/* endGroup */.N4());
    core/* info */.pq(`Uploaded as snapshot ${uploaded.snapshotId} of ${canisterId.toText()}`);
    core/* setOutput */.uH(constants/* Outputs */.tY.SnapshotId, uploaded.snapshotId);
    core/* setOutput */.uH(constants/* Outputs */.tY.SizeBytes, verified.totalBytes.toString());
    let runningHash;
    let safetySnapshot;
    if (transfer.restore) {
        core/* startGroup */.Oh(`Restore of ${label}`);
        safetySnapshot = await (0,safety_snapshot/* loadWithSafetySnapshot */.bM)(context, { canisterId, label }, safety, uploaded.snapshotId).finally(() => core/* endGroup */.N4());
        runningHash = (await management.status(canisterId)).moduleHash;
    }
    core/* setOutput */.uH(constants/* Outputs */.tY.Restored, String(transfer.restore));
    if (runningHash !== undefined)
        core/* setOutput */.uH(constants/* Outputs */.tY.ModuleHash, runningHash);
    const transferred = sourceCanister && sourceCanister !== canisterId.toText();
    const throughput = uploaded.seconds > 0 ? `${(Number(verified.totalBytes) / 1e6 / uploaded.seconds).toFixed(1)} MB/s` : '—';
    report.table('Snapshot uploaded', ['', ''], [
        ['Target canister', label],
        [
            'Source',
            artifact
                ? `artifact '${transfer.artifactName}' (id ${artifact.id}${transfer.fromRun ? `, run ${transfer.fromRun.runId}` : ''})`
                : `<code>${dir}</code>`
        ],
        ['Provenance', provenance.description],
        [
            'Snapshotted canister',
            sourceCanister
                ? `${sourceCanister}${transferred ? ' (state transferred to another canister)' : ''}`
                : 'unknown (no manifest.json)'
        ],
        [
            'Checksums',
            verified.checksums === 'sha256sums'
                ? `${verified.files.length} files verified against SHA256SUMS`
                : 'sizes and chunk hashes'
        ],
        [
            'New snapshot',
            `<code>${uploaded.snapshotId}</code>${plan.replace ? ` (replaced <code>${plan.replace.id}</code>)` : ''}`
        ],
        ['Uploaded', `${(0,summary/* formatBytes */.z3)(verified.totalBytes)} in ${uploaded.seconds.toFixed(1)} s, ${throughput}`],
        [
            'Restored',
            transfer.restore
                ? `yes; running module <code>${runningHash ? (0,preflight/* shortHash */.B)(runningHash) : 'none'}</code>`
                : 'no'
        ]
    ]);
    if (transferred)
        core/* info */.pq(`State transfer: the snapshot was taken from ${sourceCanister} and now belongs to ${canisterId.toText()}`);
    if (transfer.restore && moduleHash && runningHash !== moduleHash) {
        throw new errors/* ActionError */.lZ(`After loading ${uploaded.snapshotId}, ${canisterId.toText()} runs module ${runningHash ?? 'none'}, not the snapshot's ${moduleHash}.`);
    }
    if (transfer.restore) {
        await (0,restore_check/* checkRestored */.Hl)(context, {
            canisterId,
            label,
            snapshotId: uploaded.snapshotId,
            ...(plan.moduleHash ? { moduleHashBefore: plan.moduleHash } : {}),
            ...(safetySnapshot ? { safety: safetySnapshot } : {})
        });
    }
    if (transfer.deleteAfterRestore) {
        await deleteUploaded(context, canisterId, uploaded.snapshotId);
        report.note(`'${constants/* Inputs */.G0.DeleteAfterRestore}': the uploaded snapshot <code>${uploaded.snapshotId}</code> was deleted once ${label} ran its state.`);
    }
}
/** The upload's slot and, with `restore`, the safety snapshot's: both decided before the first byte is sent. */
async function planUploadAndSafety(context, canister, uploadBytes) {
    const { inputs, management } = context;
    // Unlike a take, an upload needs no code in the target: state moved into an empty canister is how a
    // canister is migrated (interface spec, upload_canister_snapshot_metadata and load_canister_snapshot).
    const checked = await (0,preflight/* preflight */.M)(management, canister.principal, inputs.identity.principal, { code: false });
    const plan = {
        canisterId: canister.principal,
        label: (0,take_snapshots/* canisterLabel */.u5)(canister),
        ...(checked.facts.moduleHash ? { moduleHash: checked.facts.moduleHash } : {}),
        replace: (0,take_snapshots/* chooseReplacement */.OI)(context, canister.principal, checked.snapshots)
    };
    const safety = inputs.transfer.restore
        ? (0,safety_snapshot/* planSafetySnapshot */.sd)(context, {
            canisterId: plan.canisterId,
            label: plan.label,
            ...(plan.moduleHash ? { moduleHash: plan.moduleHash } : {}),
            snapshots: checked.snapshots,
            upload: { replace: plan.replace }
        })
        : undefined;
    // The upload, and with `restore` the safety snapshot and the load, all paid before the first byte goes.
    const safetyTaken = safety?.take === true;
    await (0,cycles_preflight/* checkCycles */.E)(management, [
        {
            canisterId: plan.canisterId,
            label: plan.label,
            work: {
                takes: safetyTaken ? 1 : 0,
                loads: safety ? 1 : 0,
                freedBytes: (plan.replace?.sizeBytes ?? 0n) + (safetyTaken ? (safety.replace?.sizeBytes ?? 0n) : 0n),
                upload: uploadBytes
            }
        }
    ]);
    return [plan, safety];
}
/**
 * `delete-after-restore`: the uploaded snapshot goes once the canister runs its state (migration refuses a
 * canister that holds snapshots). Only after the load succeeded and the module was checked, so nothing the
 * canister does not already hold is lost; the safety snapshot, if one was taken, stays as the way back.
 */
async function deleteUploaded(context, canisterId, snapshotId) {
    await context.management.deleteSnapshot(canisterId, snapshotId);
    const left = await context.management.listSnapshots(canisterId);
    core/* info */.pq(`Deleted the uploaded snapshot ${snapshotId} now that ${canisterId.toText()} runs its state; ${left.length === 0 ? 'the canister holds no snapshots' : `${left.length} snapshot(s) remain: ${left.map(s => s.id).join(', ')}`}`);
}
async function moduleHashOf(path) {
    if (!path)
        return undefined;
    const hash = (0,external_node_crypto_.createHash)('sha256');
    await (0,external_node_stream_promises_.pipeline)((0,external_node_fs_.createReadStream)(path), hash);
    return hash.digest('hex');
}


/***/ })

};

//# sourceMappingURL=460.index.js.map