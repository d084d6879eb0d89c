export const id = 857;
export const ids = [857];
export const modules = {

/***/ 72876:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ expectedModuleHash),
/* harmony export */   P: () => (/* binding */ describeChecks)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(27242);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(83916);
// What guard-upgrade checks after a deploy, as the inputs describe it: the health method to call, the
// module the canister must run, and how often to try. The inputs floor reads them; the gates use them.




/** The module hash the IC reports for the expected module: it hashes the module as installed, gzipped or not. */
async function expectedModuleHash(expected) {
    if (expected.hash)
        return expected.hash;
    let bytes;
    try {
        bytes = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(expected.wasmPath);
    }
    catch (error) {
        const reason = error.code === 'ENOENT' ? 'does not exist' : 'cannot be read';
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .d(_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Inputs */ .G0.Wasm, `${expected.source} ${reason}; expected the Wasm module the deploy installs`);
    }
    const isWasm = bytes.subarray(0, 4).equals(Buffer.from('\0asm'));
    const isGzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
    if (!isWasm && !isGzip) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .d(_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Inputs */ .G0.Wasm, `${expected.source} is neither a Wasm module nor a gzipped one`);
    }
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(bytes).digest('hex');
}
/** The checks the inputs ask for, in the words of a dry run's plan. */
function describeChecks(guard) {
    return [
        guard.expectedModule && `module hash from ${guard.expectedModule.source}`,
        guard.healthMethod && `${guard.healthMethod.name}${guard.healthMethod.argsText}`,
        guard.healthCommand && `\`${guard.healthCommand}\``
    ].filter((check) => Boolean(check));
}


/***/ }),

/***/ 19001:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AQ: () => (/* binding */ runGates),
/* harmony export */   LX: () => (/* binding */ exitDescription),
/* harmony export */   ds: () => (/* binding */ buildGates)
/* harmony export */ });
/* unused harmony export GateFailure */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(27242);
/* harmony import */ var _checks_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(72876);
/* harmony import */ var _ic_certified_call_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(81390);
/* harmony import */ var _ic_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(37649);
/* harmony import */ var _candid_text_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(74248);
/* harmony import */ var _shell_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(89852);
/* harmony import */ var _timeline_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(16038);
// The checks that decide whether a deploy stands: each is tried again after `health-delay` seconds, up to
// `health-retries` more times, since a canister may need a moment after an upgrade; the first gate that
// still fails ends the checking.








class GateFailure extends Error {
}
function buildGates(guard, targets, ic) {
    const gates = [];
    const { expectedModule, healthMethod, healthCommand } = guard;
    if (expectedModule) {
        for (const target of targets) {
            gates.push({
                check: 'module-hash',
                label: `Module hash of ${target.label}`,
                async attempt() {
                    const expected = await (0,_checks_js__WEBPACK_IMPORTED_MODULE_2__/* .expectedModuleHash */ .B)(expectedModule);
                    const { moduleHash } = await ic.management.status(target.canisterId);
                    if (moduleHash !== expected) {
                        throw new GateFailure(`runs ${moduleHash ?? 'no module'}, expected ${expected} from ${expectedModule.source}`);
                    }
                    return `runs ${expected}`;
                }
            });
        }
    }
    if (healthMethod) {
        for (const target of targets) {
            gates.push({
                check: 'health-method',
                label: `${healthMethod.name}${healthMethod.argsText} on ${target.label}`,
                async attempt() {
                    let reply;
                    const { canisterId } = target;
                    try {
                        reply = (0,_candid_text_js__WEBPACK_IMPORTED_MODULE_5__/* .decodeCandid */ .oJ)(await (0,_ic_certified_call_js__WEBPACK_IMPORTED_MODULE_3__/* .certifiedCall */ .c)(ic.connection, canisterId, canisterId, healthMethod.name, healthMethod.args));
                    }
                    catch (raw) {
                        const error = (0,_ic_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .asRejectError */ .Av)(`${healthMethod.name} on ${canisterId.toText()}`, raw);
                        throw new GateFailure(error instanceof _ic_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IcRejectError */ .Qr ? rejectedBecause(error) : (0,_ic_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .describe */ .q0)(error));
                    }
                    if (healthMethod.expect !== undefined && reply !== healthMethod.expect) {
                        throw new GateFailure(`replied ${reply}, expected ${healthMethod.expect} ('${_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Inputs */ .G0.HealthExpect}')`);
                    }
                    return `replied ${reply}`;
                }
            });
        }
    }
    if (healthCommand) {
        gates.push({
            check: 'health-command',
            label: `Command: ${(0,_timeline_js__WEBPACK_IMPORTED_MODULE_7__/* .shortened */ .v)(healthCommand)}`,
            async attempt() {
                _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Running ${_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Inputs */ .G0.HealthCommand}: ${healthCommand}`);
                const { exitCode, signal } = await (0,_shell_js__WEBPACK_IMPORTED_MODULE_6__/* .runCommand */ .d)(healthCommand);
                if (exitCode !== 0)
                    throw new GateFailure(exitDescription(exitCode, signal));
                return 'exited with 0';
            }
        });
    }
    return gates;
}
async function runGates(gates, policy, timeline) {
    for (const [index, gate] of gates.entries()) {
        const startedAt = Date.now();
        const outcome = await attemptWithRetries(gate, policy);
        if (outcome.passed) {
            timeline.add(gate.label, 'passed', attemptsNote(outcome.detail, outcome.attempts), startedAt);
            continue;
        }
        timeline.add(gate.label, 'failed', attemptsNote(outcome.detail, outcome.attempts), startedAt);
        for (const skipped of gates.slice(index + 1))
            timeline.add(skipped.label, 'skipped', 'an earlier check failed');
        return { check: gate.check, label: gate.label, detail: outcome.detail };
    }
    return undefined;
}
async function attemptWithRetries(gate, policy) {
    const attempts = policy.retries + 1;
    for (let attempt = 1;; attempt++) {
        try {
            return { passed: true, detail: await gate.attempt(), attempts: attempt };
        }
        catch (error) {
            const detail = (0,_ic_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .describe */ .q0)(error);
            if (attempt >= attempts)
                return { passed: false, detail, attempts: attempt };
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${gate.label}: ${detail} (attempt ${attempt} of ${attempts}); trying again in ${policy.delaySeconds} s`);
            await new Promise(resolve => setTimeout(resolve, policy.delaySeconds * 1000));
        }
    }
}
function attemptsNote(detail, attempts) {
    return attempts > 1 ? `${detail}; attempt ${attempts}` : detail;
}
// "Error from Canister <id>: " repeats what the check's label already says.
function rejectedBecause(error) {
    const message = (0,_ic_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .oneLine */ .TN)(error.rejectMessage).replace(/^Error from Canister [\w-]+: /, '');
    return `rejected (${error.errorCode ?? `reject code ${error.rejectCode}`}): ${message}`;
}
function exitDescription(exitCode, signal) {
    return signal ? `ended by ${signal}` : `exited with ${exitCode}`;
}


/***/ }),

/***/ 9017:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fu: () => (/* binding */ rollBack),
/* harmony export */   QV: () => (/* binding */ rollbackSentence),
/* harmony export */   US: () => (/* binding */ reportFinalState)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
/* harmony import */ var _icp_sdk_core_principal__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(40826);
/* harmony import */ var _ic_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(37649);
/* harmony import */ var _ic_lifecycle_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(43199);
/* harmony import */ var _modes_preflight_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(63611);
// Undoing a deploy: every guarded canister is stopped, loaded from its guard snapshot, started, and checked
// to run its pre-deploy module again. One canister failing never keeps the others from being rolled back.





async function rollBack(management, canisters, options) {
    const outcomes = [];
    for (const canister of canisters) {
        const startedAt = Date.now();
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .startGroup */ .Oh(`Rollback of ${canister.label}`);
        try {
            const outcome = await rollBackOne(management, canister, options.stopTimeoutSeconds);
            outcomes.push(outcome);
            options.timeline.add(`Rollback of ${canister.label}`, outcome.restored ? 'done' : 'failed', outcome.restored
                ? `loaded ${canister.snapshotId}; runs ${(0,_modes_preflight_js__WEBPACK_IMPORTED_MODULE_3__/* .shortHash */ .B)(canister.moduleHash)} again`
                : outcome.problem, startedAt);
        }
        finally {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .endGroup */ .N4();
        }
    }
    return outcomes;
}
async function rollBackOne(management, canister, stopTimeoutSeconds) {
    const canisterId = _icp_sdk_core_principal__WEBPACK_IMPORTED_MODULE_4__/* .Principal */ .p.fromText(canister.id);
    let problem;
    try {
        await (0,_ic_lifecycle_js__WEBPACK_IMPORTED_MODULE_2__/* .withCanisterStopped */ .$)(management, canisterId, { stopTimeoutSeconds, startAfterwards: 'always' }, () => management.loadSnapshot(canisterId, canister.snapshotId));
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Loaded snapshot ${canister.snapshotId} into ${canister.id}`);
    }
    catch (error) {
        problem = (0,_ic_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .describe */ .q0)(error);
    }
    try {
        const { status, moduleHash } = await management.status(canisterId);
        if (!problem && moduleHash !== canister.moduleHash) {
            problem = `it runs module ${moduleHash ?? 'none'}, not the pre-deploy ${canister.moduleHash}`;
        }
        if (!problem && status !== 'running')
            problem = `it is ${status} after the rollback`;
        return { canister, restored: !problem, problem, status, moduleHash };
    }
    catch (error) {
        return {
            canister,
            restored: false,
            problem: problem ?? `its state could not be read: ${(0,_ic_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .describe */ .q0)(error)}`
        };
    }
}
/** One line for the step's failure: what was undone, or exactly what is left to do by hand. */
function rollbackSentence(outcomes, network) {
    const failed = outcomes.filter(o => !o.restored);
    const restored = outcomes.filter(o => o.restored);
    if (failed.length === 0) {
        return `Rolled back: ${restored.map(o => `${o.canister.label} runs ${(0,_modes_preflight_js__WEBPACK_IMPORTED_MODULE_3__/* .shortHash */ .B)(o.canister.moduleHash)} again from snapshot ${o.canister.snapshotId}`).join('; ')}.`;
    }
    const byHand = failed.map(o => {
        const { id, snapshotId } = o.canister;
        const state = o.status
            ? `is ${o.status} and runs module ${o.moduleHash ? (0,_modes_preflight_js__WEBPACK_IMPORTED_MODULE_3__/* .shortHash */ .B)(o.moduleHash) : 'none'}`
            : 'is in an unknown state';
        const on = icpNetworkFlags(network);
        return `${o.canister.label} ${state} (${o.problem}); restore it by hand, as a controller, with 'icp canister stop ${id} ${on}', 'icp canister snapshot restore ${id} ${snapshotId} ${on}' and 'icp canister start ${id} ${on}'`;
    });
    const done = restored.length ? ` ${restored.map(o => o.canister.label).join(', ')} rolled back.` : '';
    return `ROLLBACK INCOMPLETE: ${byHand.join('; ')}.${done}`;
}
// icp-cli targets the project's local network unless told otherwise; a URL network needs a root key.
function icpNetworkFlags(network) {
    return network.kind === 'ic' ? '-n ic' : `-n ${network.url} --root-key fetch`;
}
function reportFinalState(report, outcomes) {
    report.table('Canisters after the rollback', ['Canister', 'Status', 'Module', 'Guard snapshot', 'Rolled back'], outcomes.map(o => [
        o.canister.label,
        o.status ?? 'unknown',
        `<code>${o.moduleHash ?? 'none'}</code>`,
        `<code>${o.canister.snapshotId}</code>`,
        o.restored ? 'yes' : `**no**: ${o.problem}`
    ]));
}


/***/ }),

/***/ 89852:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  d: () => (/* binding */ runCommand)
});

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(33838);
;// CONCATENATED MODULE: ./src/guard/command-filter.ts
// ActionCommandManager.cs: the commands that write state or outputs, or that would stop the runner from
// reading this step's own commands; set-env and add-path are disabled, and would change the job.
// A line starts at the text's start or after a CR: the runner's reader (.NET ReadLine) ends a line at CR too.
const STEP_COMMANDS = /(^|\r)([^\S\r]*)(?:::|##\[)(save-state|set-output|stop-commands|set-env|add-path)\b/gi;
function neutralizeLine(line) {
    // The runner trims leading white space before it looks for `::`; one character in front keeps it text.
    return line.replace(STEP_COMMANDS, (_, start, space, name) => `${start}${space}[${name}]`);
}
/** Pipes `from` into `to`, a line at a time, with the step commands broken. */
function neutralizeStepCommands(from, to) {
    let pending = '';
    from.setEncoding('utf8');
    from.on('data', (chunk) => {
        const lines = (pending + chunk).split('\n');
        pending = lines.pop() ?? '';
        if (lines.length > 0)
            to.write(lines.map(neutralizeLine).join('\n') + '\n');
    });
    from.on('end', () => {
        if (pending)
            to.write(neutralizeLine(pending));
        pending = '';
    });
}

;// CONCATENATED MODULE: ./src/guard/process-tree.ts
// Ends a command and everything it started. On Linux and macOS the command leads its own process group
// (spawned detached), so a signal to the group reaches every process in it. Windows has neither groups nor
// signals a console process can catch: process.kill() there ends the shell alone and leaves its children (the
// deploy's build tools) running, so the whole tree is ended with `taskkill /T /F` (/T: the process and every
// process it started, /F: forcefully; Windows' taskkill documentation).

function endProcessTree(pid, signal, platform = process.platform) {
    if (pid === undefined)
        return;
    if (platform === 'win32') {
        // Asynchronous: the caller waits for the command's 'close' event, which follows once the tree is gone.
        // A tree that has already ended makes taskkill exit with an error, which is nothing to report.
        (0,external_node_child_process_.execFile)('taskkill', ['/PID', String(pid), '/T', '/F'], { windowsHide: true }, () => { });
        return;
    }
    try {
        process.kill(-pid, signal);
    }
    catch {
        // Already gone.
    }
}

;// CONCATENATED MODULE: ./src/guard/shell.ts
// Runs the user's deploy and health commands the way a workflow `run:` step would (bash with -eo pipefail,
// in the workspace, with the environment a `run:` step gets), with their output in the step log. A deploy
// runs build tools and their dependencies, so it gets no more than a `run:` step: not the runtime token a
// node action holds, not this step's state or outputs, and no workflow command that would act on them.








// After a cancel the runner sends SIGINT, then SIGTERM 7.5 s later: the command gets SIGTERM at once and
// this long to end before it is killed, so that no deploy keeps running while the post step rolls back.
const GRACE_MS = 5_000;
async function runCommand(command, options = {}) {
    // A `run:` step gets GITHUB_STATE and GITHUB_OUTPUT files of its own; these are that, and are dropped.
    const scratchDir = process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)();
    const scratch = {
        GITHUB_STATE: (0,external_node_path_.join)(scratchDir, `child_state_${(0,external_node_crypto_.randomUUID)()}`),
        GITHUB_OUTPUT: (0,external_node_path_.join)(scratchDir, `child_output_${(0,external_node_crypto_.randomUUID)()}`)
    };
    await Promise.all(Object.values(scratch).map(file => (0,promises_.writeFile)(file, '')));
    // The step's own files sit in a directory any process can list: what the command writes to them is undone.
    const own = await snapshotFiles([process.env.GITHUB_STATE, process.env.GITHUB_OUTPUT]);
    try {
        return await spawnCommand(command, { ...commandEnvironment(), ...scratch }, options);
    }
    finally {
        await Promise.all(Object.values(scratch).map(file => (0,promises_.rm)(file, { force: true })));
        await restoreFiles(own);
    }
}
async function snapshotFiles(paths) {
    const saved = new Map();
    for (const path of paths) {
        if (path)
            saved.set(path, await (0,promises_.readFile)(path).catch(() => Buffer.alloc(0)));
    }
    return saved;
}
async function restoreFiles(saved) {
    for (const [path, before] of saved) {
        const after = await (0,promises_.readFile)(path).catch(() => Buffer.alloc(0));
        if (after.equals(before))
            continue;
        await (0,promises_.writeFile)(path, before);
        core/* warning */.$e(`The command changed this step's ${(0,external_node_path_.basename)(path).replace(/_[0-9a-f-]+$/, '')} file; the change was undone.`);
    }
}
function spawnCommand(command, env, options) {
    return new Promise((resolve, reject) => {
        const [file, args] = process.platform === 'win32'
            ? ['pwsh', ['-NoProfile', '-NonInteractive', '-Command', command]]
            : ['bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command]];
        // Its own process group, so that a cancel reaches everything the command started.
        const child = (0,external_node_child_process_.spawn)(file, args, {
            cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
            env,
            stdio: ['ignore', 'pipe', 'pipe'],
            detached: process.platform !== 'win32'
        });
        neutralizeStepCommands(child.stdout, process.stdout);
        neutralizeStepCommands(child.stderr, process.stderr);
        let killTimer;
        const onSignal = (signal) => {
            // On Windows this already ends the whole tree at once (process-tree.ts); the timer then finds it gone.
            endProcessTree(child.pid, 'SIGTERM');
            killTimer ??= setTimeout(() => endProcessTree(child.pid, 'SIGKILL'), GRACE_MS);
            // The step ends once the command has; the post step then finds the guard record and rolls back.
            child.once('close', () => {
                options.onCancelled?.(signal);
                process.exit(signal === 'SIGINT' ? 130 : 143);
            });
        };
        const handlers = ['SIGINT', 'SIGTERM'].map(signal => {
            const handler = () => onSignal(signal);
            process.once(signal, handler);
            return [signal, handler];
        });
        const settle = () => {
            for (const [signal, handler] of handlers)
                process.removeListener(signal, handler);
            clearTimeout(killTimer);
        };
        child.once('error', error => {
            settle();
            reject(error);
        });
        child.once('close', (exitCode, signal) => {
            settle();
            resolve({ exitCode, signal });
        });
    });
}
// The runner gives these to node actions only (Handlers/NodeScriptActionHandler.cs): the results and cache
// services' token and addresses, and the OIDC token request; a `run:` step does not see them.
const NODE_ACTION_ONLY = /^(ACTIONS_RUNTIME_|ACTIONS_RESULTS_URL$|ACTIONS_CACHE_|ACTIONS_ID_TOKEN_REQUEST_)/;
/**
 * The job's environment as a `run:` step sees it: the action's inputs (the identity PEM among them) and
 * state stay here, and so does everything only a node action gets. GITHUB_ENV and GITHUB_PATH stay, as a
 * `run:` step has them.
 */
function commandEnvironment() {
    return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('INPUT_') && !name.startsWith('STATE_') && !NODE_ACTION_ONLY.test(name)));
}


/***/ }),

/***/ 16038:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   K: () => (/* binding */ Timeline),
/* harmony export */   v: () => (/* binding */ shortened)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
/* harmony import */ var _untrusted_text_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(38521);
// What the guard did, in order, for the step log and the job summary.


const MARK = { done: '✅', passed: '✅', failed: '❌', skipped: '⏭️' };
class Timeline {
    /** Rows of the summary table, filled in as the steps happen. */
    rows = [];
    /** Puts the timeline in the report at this point; the steps recorded later appear in it too. */
    constructor(report) {
        report.table('Timeline', ['Time (UTC)', 'Step', 'Result', 'Detail', 'Took'], this.rows);
    }
    /** Records a step that took `startedAt` until now. */
    add(step, result, detail, startedAt) {
        const seconds = startedAt === undefined ? undefined : (Date.now() - startedAt) / 1000;
        this.rows.push([
            new Date().toISOString().slice(11, 19),
            step,
            `${MARK[result]} ${result}`,
            detail,
            seconds === undefined ? '—' : `${seconds.toFixed(1)} s`
        ]);
        // A failure is also the step's error annotation; a warning here would say it twice. The detail can be a
        // health reply or a reject message: text from the canister.
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${MARK[result]} ${step}: ${result}${detail ? ` (${(0,_untrusted_text_js__WEBPACK_IMPORTED_MODULE_1__/* .inert */ .tJ)(detail)})` : ''}`);
    }
}
/** A command as a timeline step names it: long ones are cut, the log shows them whole. */
function shortened(text, length = 60) {
    return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}


/***/ }),

/***/ 81390:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   c: () => (/* binding */ certifiedCall),
/* harmony export */   n: () => (/* binding */ certifiedManagementCall)
/* harmony export */ });
/* harmony import */ var _icp_sdk_core_principal__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(40826);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(37649);
// An update call with raw Candid bytes whose certified reply is returned, through the action's agent
// (action-agent.ts: its BLS check, and the reply leaf hashed natively): the snapshot data calls a transfer
// makes by the thousand, and the health check's call (replicated, so it works for query and update methods
// alike). HttpAgent.update does the rest (@icp-sdk/core 5.x, agent/agent/http/index.ts): the v4 synchronous
// call, the certificate's tree, time and delegation checks, the reply or the certified reject read from it,
// and polling read_state when the call was only accepted (202) or its status is missing from the certificate.


/** Calls the management canister about `canisterId`; resolves with the certified reply. */
function certifiedManagementCall(connection, canisterId, methodName, arg) {
    return certifiedCall(connection, _icp_sdk_core_principal__WEBPACK_IMPORTED_MODULE_1__/* .Principal */ .p.managementCanister(), canisterId, methodName, arg);
}
/** Calls `methodName` of `target` (routed by `canisterId`); resolves with the certified reply. */
async function certifiedCall(connection, target, canisterId, methodName, arg) {
    const reply = await connection.agent.certifiedUpdate(target, {
        methodName,
        arg,
        effectiveCanisterId: canisterId
    });
    // A certificate that says `replied` but holds no reply: nothing to decode, and not worth another try.
    if (!reply)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ(`${methodName} was certified as replied, but the certificate has no reply`);
    return reply;
}


/***/ })

};

//# sourceMappingURL=857.index.js.map