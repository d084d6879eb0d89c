export const id = 322;
export const ids = [322];
export const modules = {

/***/ 43199:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  $: () => (/* binding */ withCanisterStopped)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(33838);
// EXTERNAL MODULE: ./src/ic/errors.ts
var errors = __webpack_require__(37649);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(27242);
// EXTERNAL MODULE: ./src/state-provider.ts
var state_provider = __webpack_require__(39890);
;// CONCATENATED MODULE: ./src/ic/stopped-canisters.ts


// The runner keeps the last value saved under a key, and hands it to the post step as STATE_<key>, even when
// the main step was cancelled or killed: so the record is rewritten before each stop and after each start.
const stopped = new Set();
function rememberStopped(canisterId) {
    stopped.add(canisterId);
    (0,state_provider/* saveSignedState */.b)(constants/* State */.Uw.StoppedCanisters, JSON.stringify([...stopped]));
}
function forgetStopped(canisterId) {
    stopped.delete(canisterId);
    (0,state_provider/* saveSignedState */.b)(constants/* State */.Uw.StoppedCanisters, JSON.stringify([...stopped]));
}
/** In the post step: the canisters the main step left stopped, or 'forged' when the record is not its own. */
function stoppedByMainStep() {
    const record = readSignedState(State.StoppedCanisters);
    if (record.kind === 'forged')
        return 'forged';
    if (record.kind === 'none')
        return [];
    try {
        const parsed = JSON.parse(record.value);
        return Array.isArray(parsed) ? parsed.filter((id) => typeof id === 'string') : [];
    }
    catch {
        return [];
    }
}

;// CONCATENATED MODULE: ./src/ic/lifecycle.ts
// Stopping a canister is the one change the action makes that must always be undone: every stop is recorded
// for the post step before it is sent, and every path out of the work starts the canister again.



/** Stops the canister, runs the work, and starts the canister again as the options say, whatever happens. */
async function withCanisterStopped(management, canisterId, options, work) {
    const id = canisterId.toText();
    const { status: statusBefore } = await management.status(canisterId);
    const shouldStart = options.startAfterwards === 'always' || statusBefore === 'running';
    if (statusBefore !== 'stopped') {
        if (shouldStart)
            rememberStopped(id);
        await stopWithin(management, canisterId, options.stopTimeoutSeconds, shouldStart);
    }
    let failure;
    let result;
    try {
        result = await work();
    }
    catch (error) {
        failure = error;
    }
    let restarted = false;
    if (shouldStart) {
        try {
            core/* info */.pq(`Starting ${id} again`);
            await management.start(canisterId);
            forgetStopped(id);
            restarted = true;
        }
        catch (startError) {
            const cause = failure ? ` after: ${(0,errors/* describe */.q0)(failure)}` : '';
            throw new errors/* ActionError */.lZ(`Could not start ${id} again (${(0,errors/* describe */.q0)(startError)})${cause}. The post step will try again; start it by hand with 'icp canister start ${id}' if it stays stopped.`);
        }
    }
    if (failure)
        throw failure;
    return { result: result, statusBefore, restarted };
}
async function stopWithin(management, canisterId, timeoutSeconds, wasRunning) {
    const id = canisterId.toText();
    core/* info */.pq(`Stopping ${id} (waiting up to ${timeoutSeconds} s)`);
    let timer;
    const timedOut = new Promise(resolve => {
        timer = setTimeout(() => resolve('timeout'), timeoutSeconds * 1000);
    });
    // stop_canister answers only once the canister is Stopped; it waits for open call contexts to close.
    const stopping = management.stop(canisterId).then(() => 'stopped');
    stopping.catch(() => undefined);
    try {
        const outcome = await Promise.race([stopping, timedOut]);
        if (outcome === 'stopped') {
            core/* info */.pq(`${id} is stopped`);
            return;
        }
    }
    catch (error) {
        if (wasRunning)
            await startAgain(management, canisterId);
        throw error;
    }
    finally {
        clearTimeout(timer);
    }
    // Starting a canister that is still Stopping cancels the pending stop (interface spec, start_canister).
    if (wasRunning)
        await startAgain(management, canisterId);
    throw new errors/* ActionError */.lZ(`${id} did not stop within ${timeoutSeconds} s (it may be waiting on open calls); it was started again and nothing was changed. Raise 'stop-timeout' or retry later.`);
}
async function startAgain(management, canisterId) {
    try {
        await management.start(canisterId);
        forgetStopped(canisterId.toText());
    }
    catch (error) {
        core/* warning */.$e(`Could not start ${canisterId.toText()} again: ${(0,errors/* describe */.q0)(error)}; the post step will retry.`);
    }
}


/***/ }),

/***/ 25272:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   l: () => (/* binding */ snapshotLimitFromReject)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(37649);
// How many snapshots the IC lets a canister hold, as its reject says when the limit is hit. The action plans
// with the documented 10 (constants.ts), but the number is subnet configuration
// (`max_number_of_snapshots_per_canister`, rs/config/src/execution_environment.rs), so the reject is the
// authority: `CanisterSnapshotLimitExceeded`, IC0406, "Canister {id} has reached the maximum number of
// snapshots allowed: {limit}." (rs/execution_environment/src/canister_manager/types.rs).

const LIMIT_TEXT = /has reached the maximum number of snapshots allowed: (\d{1,6})\./;
/** The limit the IC named in a snapshot-limit reject, or undefined for any other failure. */
function snapshotLimitFromReject(error) {
    if (!(error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .IcRejectError */ .Qr) || error.errorCode !== 'IC0406')
        return undefined;
    const match = LIMIT_TEXT.exec(error.rejectMessage);
    return match ? Number(match[1]) : undefined;
}


/***/ }),

/***/ 63184:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  E: () => (/* binding */ checkCycles),
  n: () => (/* binding */ takeWork)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(33838);
;// CONCATENATED MODULE: ./src/ic/cycles.ts
// What a step costs a canister in cycles, estimated before anything changes. The fees are those of a 13-node
// application subnet (dfinity/ic rs/config/src/subnet_config.rs, `CyclesAccountManagerConfig`; the developer
// docs' references/cycle-costs.md); the formulas follow rs/cycles_account_manager (`execution_cost`,
// `freeze_threshold_cycles`, `ingress_induction_cost`) and rs/execution_environment/src/canister_manager.rs
// (`take_canister_snapshot`, `load_canister_snapshot`, `create_snapshot_from_metadata`,
// `write_snapshot_data`, `read_snapshot_data`, `cycles_and_memory_usage_checks`).
/** Fees on a 13-node application subnet; a larger subnet scales them by its size / 13. */
const FEES = {
    /** Per update message executed (`update_message_execution_fee`). */
    updateMessage: 5000000n,
    /** Per instruction: 10 cycles per 10 instructions (`ten_update_instructions_execution_fee`). */
    perInstruction: 1n,
    /** Per ingress message, charged to the canister it is about (`ingress_message_reception_fee`). */
    ingressMessage: 1200000n,
    /** Per byte of a signed ingress message (`ingress_byte_reception_fee`). */
    ingressByte: 2000n,
    /** Storage per GiB per second (`gib_storage_per_second_fee`). */
    gibSecond: 127000n
};
/** `DEFAULT_CANISTERS_SNAPSHOT_BASELINE_INSTRUCTIONS`: taking, loading or creating a snapshot. */
const SNAPSHOT_BASELINE_INSTRUCTIONS = 2000000000n;
/** `DEFAULT_CANISTERS_SNAPSHOT_DATA_BASELINE_INSTRUCTIONS`: each read of snapshot data. */
const SNAPSHOT_DATA_BASELINE_INSTRUCTIONS = 5000000n;
/** What the envelope (sender, signature, key, request fields) adds to a call's argument, generously. */
const ENVELOPE_BYTES = 1000n;
/** Ingress of the small calls around a step (status, list, stop, take, start): a few per canister. */
const SMALL_CALLS = 12n;
const GIB = 1n << 30n;
const SECONDS_PER_DAY = 86400n;
/** interface spec, read/upload_canister_snapshot_data: data moves in slices of at most 2,000,000 bytes. */
const DATA_SLICE_BYTES = 2000000n;
function dataCalls(bytes) {
    // The module, two memories and the chunks each start a slice of their own: a few more than bytes / slice.
    return (bytes + DATA_SLICE_BYTES - 1n) / DATA_SLICE_BYTES + 3n;
}
/** `execution_cost`: the message fee plus the instructions. */
function executionCost(instructions) {
    return FEES.updateMessage + instructions * FEES.perInstruction;
}
/** `ingress_induction_cost_from_bytes`. */
function ingressCost(messageBytes) {
    return FEES.ingressMessage + FEES.ingressByte * messageBytes;
}
/** `memory_cost` for one day. */
function storagePerDay(bytes) {
    return (bytes * FEES.gibSecond * SECONDS_PER_DAY) / GIB;
}
/**
 * The cost of a step and the balance it needs. A snapshot copies the canister's state (memory_size less its
 * snapshots); taking one costs 2B + 1 per byte instructions plus the message fee; uploading one costs the same
 * for its metadata, 1 instruction per byte written, and each message's ingress; each read costs 5M + 1 per
 * byte; loading costs 2B. The freezing threshold is taken at the memory the canister holds afterwards, since
 * the IC refuses a snapshot that would freeze it (IC0532).
 */
function estimateCost(facts, work) {
    const state = facts.memorySize > facts.snapshotsSize ? facts.memorySize - facts.snapshotsSize : 0n;
    const parts = [];
    if (work.takes > 0)
        parts.push({
            label: `${work.takes === 1 ? 'snapshot' : `${work.takes} snapshots`} of ${state} bytes`,
            cycles: BigInt(work.takes) * executionCost(SNAPSHOT_BASELINE_INSTRUCTIONS + state)
        });
    if (work.upload !== undefined) {
        const bytes = work.upload;
        const calls = dataCalls(bytes) + 1n;
        parts.push({
            label: `upload of ${bytes} bytes`,
            cycles: executionCost(SNAPSHOT_BASELINE_INSTRUCTIONS + bytes) +
                bytes * FEES.perInstruction +
                calls * ingressCost(ENVELOPE_BYTES) +
                bytes * FEES.ingressByte
        });
    }
    if (work.download !== undefined) {
        const bytes = work.download === 'taken' ? state : work.download;
        const calls = dataCalls(bytes);
        parts.push({
            label: `download of ${bytes} bytes`,
            cycles: calls * (SNAPSHOT_DATA_BASELINE_INSTRUCTIONS * FEES.perInstruction + ingressCost(ENVELOPE_BYTES)) +
                bytes * FEES.perInstruction
        });
    }
    if (work.loads > 0)
        parts.push({
            label: 'load',
            cycles: BigInt(work.loads) * SNAPSHOT_BASELINE_INSTRUCTIONS * FEES.perInstruction
        });
    parts.push({ label: 'calls', cycles: SMALL_CALLS * ingressCost(ENVELOPE_BYTES) });
    const burnt = parts.reduce((sum, p) => sum + p.cycles, 0n);
    const grown = BigInt(work.takes) * state + (work.upload ?? 0n);
    const after = facts.memorySize + grown > work.freedBytes ? facts.memorySize + grown - work.freedBytes : 0n;
    // The idle burn canister_status reports, plus the storage of what the step adds.
    const idleAfter = after >= facts.memorySize
        ? facts.idleCyclesBurnedPerDay + storagePerDay(after - facts.memorySize)
        : facts.idleCyclesBurnedPerDay;
    const rawThreshold = (idleAfter * facts.freezingThresholdSeconds) / SECONDS_PER_DAY;
    const threshold = rawThreshold > facts.reservedCycles ? rawThreshold - facts.reservedCycles : 0n;
    const required = burnt + threshold;
    return {
        burnt,
        threshold,
        required,
        shortfall: required > facts.cycles ? required - facts.cycles : 0n,
        parts
    };
}
/** `1_234_567` → `1.23B`: cycles as people count them (T, B, M). */
function formatCycles(cycles) {
    const units = [
        [1000000000000n, 'T'],
        [1000000000n, 'B'],
        [1000000n, 'M']
    ];
    for (const [size, unit] of units)
        if (cycles >= size)
            return `${(Number((cycles * 100n) / size) / 100).toFixed(2).replace(/\.?0+$/, '')}${unit}`;
    return cycles.toString();
}
/** A top-up amount for `icp canister top-up --amount`: whole billions, rounded up. */
function topUpAmount(shortfall) {
    const billions = (shortfall + 999999999n) / 1000000000n;
    return `${billions > 0n ? billions : 1n}b`;
}

// EXTERNAL MODULE: ./src/ic/errors.ts
var errors = __webpack_require__(37649);
;// CONCATENATED MODULE: ./src/modes/cycles-preflight.ts
// The cycles preflight: before the first canister stops (or the first byte is uploaded), each canister's
// balance must cover what the step burns and keep it above its freezing threshold afterwards. A canister that
// cannot pay would fail half-way on the IC (IC0207 out of cycles, IC0532 insufficient cycles to grow memory);
// here it fails at once, with the amount to add, and nothing has changed.



/** Checks every canister first, so that a group fails before any of it is touched. */
async function checkCycles(management, checks) {
    for (const { canisterId, label, work } of checks) {
        const { cyclesFacts: facts } = await management.status(canisterId);
        const estimate = estimateCost(facts, work);
        const breakdown = estimate.parts.map(p => `${p.label}: ${formatCycles(p.cycles)}`).join(', ');
        if (estimate.shortfall > 0n) {
            throw new errors/* ActionError */.lZ(`${label} holds ${formatCycles(facts.cycles)} cycles, but this step needs about ${formatCycles(estimate.required)} ` +
                `(${breakdown}, and ${formatCycles(estimate.threshold)} kept back by its freezing threshold of ${facts.freezingThresholdSeconds} s); ` +
                `add at least ${formatCycles(estimate.shortfall)} cycles with 'icp canister top-up --amount ${topUpAmount(estimate.shortfall)} ${canisterId.toText()} -n ic' and run the step again. Nothing was stopped or changed.`);
        }
        core/* info */.pq(`${label}: cycles check passed, ${formatCycles(facts.cycles)} held, about ${formatCycles(estimate.required)} needed (${breakdown}, freezing threshold ${formatCycles(estimate.threshold)})`);
    }
}
/** A snapshot of the canister's current state, replacing `replacedBytes` of an older one if any. */
function takeWork(replacedBytes = 0n) {
    return { takes: 1, loads: 0, freedBytes: replacedBytes };
}


/***/ }),

/***/ 82854:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   C: () => (/* binding */ findSnapshot)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
/* harmony import */ var _icp_sdk_core_principal__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(40826);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(27242);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(83916);
/* harmony import */ var _ic_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(37649);
/* harmony import */ var _ic_snapshot_id_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3494);






/** The snapshot to load: the newest, or the given id, which may belong to another canister (same controllers). */
async function findSnapshot(management, canisterId, own, ref) {
    if (ref.kind === 'latest') {
        const newest = own[own.length - 1];
        if (!newest)
            throw new _ic_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .lZ(`${canisterId.toText()} has no snapshots, so there is no 'latest' to restore.`);
        return { ...newest, owner: canisterId };
    }
    const owner = _icp_sdk_core_principal__WEBPACK_IMPORTED_MODULE_4__/* .Principal */ .p.fromUint8Array((0,_ic_snapshot_id_js__WEBPACK_IMPORTED_MODULE_5__/* .snapshotIdFromHex */ .Nm)(ref.id).subarray(8));
    const candidates = owner.toText() === canisterId.toText() ? own : await management.listSnapshots(owner);
    const found = candidates.find(s => s.id === ref.id);
    if (!found) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Inputs */ .G0.SnapshotId, `${owner.toText()} has no snapshot ${ref.id}; it has ${candidates.map(s => s.id).join(', ') || 'none'}`);
    }
    if (owner.toText() !== canisterId.toText())
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Snapshot ${ref.id} belongs to ${owner.toText()}; loading it across canisters`);
    return { ...found, owner };
}


/***/ }),

/***/ 63611:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ shortHash),
/* harmony export */   M: () => (/* binding */ preflight)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
/* harmony import */ var _ic_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(37649);
// Checks made for every canister before the first change, so that a group either starts cleanly or not at all.


async function preflight(management, canisterId, caller, needs) {
    const id = canisterId.toText();
    const facts = await management.facts(canisterId);
    if (!facts.controllers.includes(caller.toText())) {
        throw new _ic_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ(`The identity ${caller.toText()} is not a controller of ${id}; its controllers are ${facts.controllers.join(', ') || 'none'}. Add it with 'icp canister settings update ${id} --add-controller ${caller.toText()}'.`);
    }
    if (needs.code && !facts.moduleHash) {
        throw new _ic_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ(`${id} has no code installed, so there is no state to snapshot or restore into.`);
    }
    const snapshots = await management.listSnapshots(canisterId);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${id}: controller check passed, module ${facts.moduleHash ? shortHash(facts.moduleHash) : 'none'}, ${snapshots.length} snapshot(s)`);
    return { facts, snapshots };
}
function shortHash(hex) {
    return `${hex.slice(0, 12)}…`;
}


/***/ }),

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

/***/ 17322:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   restore: () => (/* binding */ restore)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(33838);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(27242);
/* harmony import */ var _ic_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(37649);
/* harmony import */ var _find_snapshot_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(82854);
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(28855);
/* harmony import */ var _cycles_preflight_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(63184);
/* harmony import */ var _preflight_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(63611);
/* harmony import */ var _restore_check_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(99763);
/* harmony import */ var _safety_snapshot_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(77);
// restore: stop, take a safety snapshot, load a snapshot, start; then prove the canister runs the snapshot's
// module.










async function restore(context) {
    const { inputs, management, report } = context;
    const [canister] = inputs.canisters;
    const canisterId = canister.principal;
    const label = canister.name ? `${canister.name} (${canisterId.toText()})` : canisterId.toText();
    _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .startGroup */ .Oh('Preflight');
    let snapshot;
    let expectedHash;
    let hashBefore;
    let safety;
    try {
        const checked = await (0,_preflight_js__WEBPACK_IMPORTED_MODULE_7__/* .preflight */ .M)(management, canisterId, inputs.identity.principal, { code: false });
        hashBefore = checked.facts.moduleHash;
        snapshot = await (0,_find_snapshot_js__WEBPACK_IMPORTED_MODULE_4__/* .findSnapshot */ .C)(management, canisterId, checked.snapshots, inputs.snapshot);
        const module = await management.readSnapshotModule(snapshot.owner, snapshot.id);
        expectedHash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(module).digest('hex');
        _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq(`Snapshot ${snapshot.id} was taken at ${(0,_summary_js__WEBPACK_IMPORTED_MODULE_5__/* .isoTime */ .Ly)(snapshot.takenAtNs)} and holds module ${(0,_preflight_js__WEBPACK_IMPORTED_MODULE_7__/* .shortHash */ .B)(expectedHash)}`);
        safety = (0,_safety_snapshot_js__WEBPACK_IMPORTED_MODULE_9__/* .planSafetySnapshot */ .sd)(context, {
            canisterId,
            label,
            moduleHash: hashBefore,
            snapshots: checked.snapshots,
            restoring: snapshot.id
        });
        await (0,_cycles_preflight_js__WEBPACK_IMPORTED_MODULE_6__/* .checkCycles */ .E)(management, [
            {
                canisterId,
                label,
                work: {
                    takes: safety.take ? 1 : 0,
                    loads: 1,
                    freedBytes: safety.take ? (safety.replace?.sizeBytes ?? 0n) : 0n
                }
            }
        ]);
    }
    finally {
        _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .endGroup */ .N4();
    }
    if (inputs.dryRun) {
        _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq(`[dry run] would stop ${label}, ${(0,_safety_snapshot_js__WEBPACK_IMPORTED_MODULE_9__/* .describeSafetyPlan */ .B_)(safety)}, load snapshot ${snapshot.id}, and start it${(0,_restore_check_js__WEBPACK_IMPORTED_MODULE_8__/* .describeRestoreChecks */ .L6)(context)}`);
        report.table('Plan (dry run, nothing changed)', ['Canister', 'Safety snapshot', 'Snapshot', 'Module now', 'Module after'], [
            [
                label,
                (0,_safety_snapshot_js__WEBPACK_IMPORTED_MODULE_9__/* .describeSafetyPlan */ .B_)(safety),
                `<code>${snapshot.id}</code>`,
                hashBefore ? (0,_preflight_js__WEBPACK_IMPORTED_MODULE_7__/* .shortHash */ .B)(hashBefore) : 'none',
                (0,_preflight_js__WEBPACK_IMPORTED_MODULE_7__/* .shortHash */ .B)(expectedHash)
            ]
        ]);
        return;
    }
    _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .startGroup */ .Oh(`Restore of ${label}`);
    let safetySnapshot;
    try {
        safetySnapshot = await (0,_safety_snapshot_js__WEBPACK_IMPORTED_MODULE_9__/* .loadWithSafetySnapshot */ .bM)(context, { canisterId, label }, safety, snapshot.id);
        _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq(`Loaded snapshot ${snapshot.id}`);
    }
    finally {
        _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .endGroup */ .N4();
    }
    const after = await management.status(canisterId);
    _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .setOutput */ .uH(_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Outputs */ .tY.SnapshotId, snapshot.id);
    _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .setOutput */ .uH(_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Outputs */ .tY.TakenAt, (0,_summary_js__WEBPACK_IMPORTED_MODULE_5__/* .isoTime */ .Ly)(snapshot.takenAtNs));
    _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .setOutput */ .uH(_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Outputs */ .tY.SizeBytes, snapshot.sizeBytes.toString());
    _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .setOutput */ .uH(_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Outputs */ .tY.ModuleHash, after.moduleHash ?? '');
    report.table('Restored', ['Canister', 'Snapshot', 'Taken at', 'Size', 'Snapshot module', 'Running module', 'Status'], [
        [
            label,
            `<code>${snapshot.id}</code>`,
            (0,_summary_js__WEBPACK_IMPORTED_MODULE_5__/* .isoTime */ .Ly)(snapshot.takenAtNs),
            (0,_summary_js__WEBPACK_IMPORTED_MODULE_5__/* .formatBytes */ .z3)(snapshot.sizeBytes),
            `<code>${expectedHash}</code>`,
            `<code>${after.moduleHash ?? 'none'}</code>`,
            after.status
        ]
    ]);
    if (after.moduleHash !== expectedHash) {
        throw new _ic_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .lZ(`After loading ${snapshot.id}, ${canisterId.toText()} runs module ${after.moduleHash ?? 'none'}, not the snapshot's ${expectedHash}.`);
    }
    _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq(`Module hash check passed: ${canisterId.toText()} runs ${expectedHash}`);
    await (0,_restore_check_js__WEBPACK_IMPORTED_MODULE_8__/* .checkRestored */ .Hl)(context, {
        canisterId,
        label,
        snapshotId: snapshot.id,
        ...(hashBefore ? { moduleHashBefore: hashBefore } : {}),
        ...(safetySnapshot ? { safety: safetySnapshot } : {})
    });
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

/***/ 39890:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   b: () => (/* binding */ saveSignedState)
/* harmony export */ });
/* unused harmony export readSignedState */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(33838);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(27242);
// State passed from the main step to the post step. The runner hands the post step whatever was saved last
// under a key, including a `::save-state` line that anything printed on the main step's stdout; so each
// record carries an HMAC whose key only the action's own steps can derive: from the identity input, which
// both steps get and no child process or log line ever sees. A record without a valid tag is refused.



const LABEL = 'canister-snapshot-action post-step state v1';
/** The HMAC key: derived from the identity input, held in memory only, never printed or written. */
function stateKey() {
    const secret = `${_actions_core__WEBPACK_IMPORTED_MODULE_1__/* .getInput */ .V4(_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Inputs */ .G0.Identity)}\0${_actions_core__WEBPACK_IMPORTED_MODULE_1__/* .getInput */ .V4(_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Inputs */ .G0.IdentityPassword, { trimWhitespace: false })}`;
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHmac)('sha256', secret).update(LABEL).digest();
}
function tag(name, value) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHmac)('sha256', stateKey()).update(`${name}\0${value}`).digest('hex');
}
/** Saves `value` under `name` with its tag; an empty value clears the record. */
function saveSignedState(name, value) {
    _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .saveState */ .LZ(name, value === '' ? '' : `${tag(name, value)}.${value}`);
}
/** In the post step: the record, if the main step wrote it. */
function readSignedState(name) {
    const raw = core.getState(name);
    if (raw === '')
        return { kind: 'none' };
    const dot = raw.indexOf('.');
    const given = Buffer.from(dot === 64 ? raw.slice(0, 64) : '', 'hex');
    const value = raw.slice(dot + 1);
    const expected = Buffer.from(tag(name, value), 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return { kind: 'forged' };
    return { kind: 'valid', value };
}


/***/ })

};

//# sourceMappingURL=322.index.js.map