export const id = 965;
export const ids = [965];
export const modules = {

/***/ 43965:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  guardUpgrade: () => (/* binding */ guardUpgrade)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(33838);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(27242);
// EXTERNAL MODULE: ./src/guard/checks.ts
var checks = __webpack_require__(72876);
// EXTERNAL MODULE: ./src/guard/gates.ts
var gates = __webpack_require__(19001);
// EXTERNAL MODULE: ./src/state-provider.ts
var state_provider = __webpack_require__(39890);
;// CONCATENATED MODULE: ./src/guard/guard-state.ts
// What the post step needs to roll back a guarded deploy: saved once every guard snapshot exists, and
// cleared once the guard itself has settled the outcome (passed, or rolled back).


function saveGuard(record) {
    (0,state_provider/* saveSignedState */.b)(constants/* State */.Uw.GuardedCanisters, JSON.stringify(record));
}
function clearGuard() {
    (0,state_provider/* saveSignedState */.b)(constants/* State */.Uw.GuardedCanisters, '');
}
/** In the post step: the guard the main step left in force, if any, or 'forged' when it is not its own. */
function guardInForce() {
    const record = readSignedState(State.GuardedCanisters);
    if (record.kind === 'forged')
        return 'forged';
    if (record.kind === 'none')
        return undefined;
    try {
        const parsed = JSON.parse(record.value);
        if (!Array.isArray(parsed.canisters) || parsed.canisters.length === 0)
            return undefined;
        return parsed;
    }
    catch {
        return undefined;
    }
}

// EXTERNAL MODULE: ./src/guard/rollback.ts
var rollback = __webpack_require__(9017);
// EXTERNAL MODULE: ./src/guard/shell.ts + 2 modules
var shell = __webpack_require__(89852);
// EXTERNAL MODULE: ./src/guard/timeline.ts
var guard_timeline = __webpack_require__(16038);
// EXTERNAL MODULE: ./src/ic/errors.ts
var errors = __webpack_require__(37649);
// EXTERNAL MODULE: ./src/summary.ts
var summary = __webpack_require__(28855);
// EXTERNAL MODULE: ./src/modes/preflight.ts
var preflight = __webpack_require__(63611);
// EXTERNAL MODULE: ./src/modes/take-snapshots.ts
var take_snapshots = __webpack_require__(83765);
;// CONCATENATED MODULE: ./src/modes/guard-upgrade.ts
// guard-upgrade: snapshot every canister of the group, then either run the deploy and its checks here (and
// roll back when any fails), or leave the guard in force for the job's later steps and the post step.












async function guardUpgrade(context) {
    const { inputs, report } = context;
    const { guard } = inputs;
    core/* startGroup */.Oh('Preflight');
    const plans = await (0,take_snapshots/* planSnapshots */.Nn)(context, inputs.canisters).finally(() => core/* endGroup */.N4());
    if (inputs.dryRun)
        return reportPlan(context, plans);
    const timeline = new guard_timeline/* Timeline */.K(report);
    const guarded = await takeGuardSnapshots(context, plans, timeline);
    core/* setOutput */.uH(constants/* Outputs */.tY.RolledBack, 'false');
    core/* setOutput */.uH(constants/* Outputs */.tY.FailedCheck, '');
    if (!guard.deploy)
        return leaveGuardToThePostStep(context, guarded, timeline);
    saveGuard({ scope: 'deploy', canisters: guarded });
    const failed = await deployAndCheck(context, guard, guarded, timeline);
    if (!failed)
        return keepDeploy(context, guarded, timeline);
    await rollBackDeploy(context, guarded, failed, timeline);
}
async function takeGuardSnapshots(context, plans, timeline) {
    const startedAt = Date.now();
    const taken = await (0,take_snapshots/* takePlanned */.Kc)(context, plans);
    for (const { plan, snapshot } of taken) {
        const replaced = plan.replace ? `, replacing ${plan.replace.id}` : '';
        timeline.add(`Snapshot of ${plan.label}`, 'done', `${snapshot.id} (${(0,summary/* formatBytes */.z3)(snapshot.sizeBytes)})${replaced}; module ${(0,preflight/* shortHash */.B)(plan.moduleHash)}`, startedAt);
    }
    const guarded = taken.map(({ plan, snapshot }) => ({
        id: plan.canisterId.toText(),
        label: plan.label,
        snapshotId: snapshot.id,
        moduleHash: plan.moduleHash
    }));
    core/* setOutput */.uH(constants/* Outputs */.tY.SnapshotIds, JSON.stringify(Object.fromEntries(guarded.map(g => [g.id, g.snapshotId]))));
    core/* setOutput */.uH(constants/* Outputs */.tY.SnapshotId, guarded[0].snapshotId);
    core/* setOutput */.uH(constants/* Outputs */.tY.ModuleHashBefore, perCanister(guarded.map(g => [g.id, g.moduleHash])));
    return guarded;
}
function leaveGuardToThePostStep(context, guarded, timeline) {
    saveGuard({ scope: 'job', canisters: guarded });
    const detail = 'if a later step of the job fails or the job is cancelled, the post step restores these snapshots';
    timeline.add('Guard in force for the rest of the job', 'done', detail);
    context.report.table('Guarded canisters', ['Canister', 'Guard snapshot', 'Module before the deploy'], guarded.map(g => [g.label, `<code>${g.snapshotId}</code>`, `<code>${g.moduleHash}</code>`]));
}
async function deployAndCheck(context, guard, guarded, timeline) {
    const deploy = guard.deploy;
    const label = `Deploy: ${(0,guard_timeline/* shortened */.v)(deploy)}`;
    const startedAt = Date.now();
    core/* startGroup */.Oh(`Deploy: ${deploy}`);
    let exit;
    try {
        const { exitCode, signal } = await (0,shell/* runCommand */.d)(deploy, {
            onCancelled: signal => core/* warning */.$e(`Cancelled (${signal}) during the deploy; the deploy command was stopped, and the post step rolls back ${guarded.map(g => g.label).join(', ')}.`)
        });
        if (exitCode !== 0)
            exit = (0,gates/* exitDescription */.LX)(exitCode, signal);
    }
    catch (error) {
        exit = `could not be started: ${(0,errors/* describe */.q0)(error)}`;
    }
    finally {
        core/* endGroup */.N4();
    }
    await reportModulesAfterDeploy(context, guarded);
    if (exit) {
        timeline.add(label, 'failed', exit, startedAt);
        return { check: 'deploy', label, detail: exit };
    }
    timeline.add(label, 'done', 'exited with 0', startedAt);
    const targets = context.inputs.canisters.map((c, i) => ({
        canisterId: c.principal,
        label: guarded[i].label
    }));
    return (0,gates/* runGates */.AQ)((0,gates/* buildGates */.ds)(guard, targets, context), guard, timeline);
}
async function reportModulesAfterDeploy(context, guarded) {
    const after = [];
    for (const [i, g] of guarded.entries()) {
        try {
            const { moduleHash } = await context.management.status(context.inputs.canisters[i].principal);
            after.push([g.id, moduleHash ?? '']);
            core/* info */.pq(`${g.label} runs ${moduleHash ?? 'no module'} after the deploy (before: ${g.moduleHash})`);
        }
        catch (error) {
            core/* warning */.$e(`Could not read the module of ${g.label} after the deploy: ${(0,errors/* describe */.q0)(error)}`);
        }
    }
    core/* setOutput */.uH(constants/* Outputs */.tY.ModuleHashAfter, perCanister(after));
}
async function keepDeploy(context, guarded, timeline) {
    const { management, inputs, report } = context;
    // From here a failure of a later step must not undo a deploy that passed its checks.
    clearGuard();
    const kept = new Map();
    for (const [i, g] of guarded.entries()) {
        if (inputs.guard.keepSnapshot) {
            kept.set(g.id, 'kept');
            continue;
        }
        try {
            await management.deleteSnapshot(inputs.canisters[i].principal, g.snapshotId);
            kept.set(g.id, `deleted (${constants/* Inputs */.G0.KeepSnapshot}: false)`);
            timeline.add(`Delete guard snapshot of ${g.label}`, 'done', g.snapshotId);
        }
        catch (error) {
            kept.set(g.id, `kept: could not delete it (${(0,errors/* describe */.q0)(error)})`);
            core/* warning */.$e(`The deploy passed, but the guard snapshot ${g.snapshotId} of ${g.label} could not be deleted: ${(0,errors/* describe */.q0)(error)}`);
        }
    }
    const rows = [];
    for (const [i, g] of guarded.entries()) {
        const { status, moduleHash } = await management.status(inputs.canisters[i].principal);
        rows.push([
            g.label,
            status,
            `<code>${g.moduleHash}</code>`,
            `<code>${moduleHash ?? 'none'}</code>`,
            `<code>${g.snapshotId}</code> ${kept.get(g.id)}`
        ]);
    }
    report.table('Canisters after the deploy', ['Canister', 'Status', 'Module before', 'Module now', 'Guard snapshot'], rows);
    core/* info */.pq(`The deploy passed every check; ${guarded.map(g => g.label).join(', ')} keep the new module.`);
}
async function rollBackDeploy(context, guarded, failed, timeline) {
    const { management, inputs, report } = context;
    core/* setOutput */.uH(constants/* Outputs */.tY.FailedCheck, failed.check);
    const outcomes = await (0,rollback/* rollBack */.Fu)(management, guarded, {
        stopTimeoutSeconds: inputs.stopTimeoutSeconds,
        timeline
    });
    const left = outcomes.filter(o => !o.restored).map(o => o.canister);
    // What could not be rolled back here, the post step tries again.
    if (left.length > 0)
        saveGuard({ scope: 'deploy', canisters: left });
    else
        clearGuard();
    core/* setOutput */.uH(constants/* Outputs */.tY.RolledBack, left.length === 0 ? 'true' : 'false');
    (0,rollback/* reportFinalState */.US)(report, outcomes);
    throw new errors/* ActionError */.lZ(`${failedSentence(failed)} ${(0,rollback/* rollbackSentence */.QV)(outcomes, inputs.network)}`);
}
function failedSentence(failed) {
    if (failed.check === 'deploy')
        return `The deploy command ${failed.detail}.`;
    return `The deploy failed the ${failed.check} check (${failed.label}): ${failed.detail}.`;
}
function reportPlan(context, plans) {
    const { guard } = context.inputs;
    const gates = (0,checks/* describeChecks */.P)(guard);
    for (const plan of plans) {
        core/* info */.pq(`[dry run] would snapshot ${plan.label}${plan.replace ? ` replacing ${plan.replace.id}` : ''}, module ${(0,preflight/* shortHash */.B)(plan.moduleHash)}`);
    }
    core/* info */.pq(guard.deploy
        ? `[dry run] would run \`${guard.deploy}\`, then check: ${gates.join(', ') || 'the deploy exit code only'}`
        : '[dry run] would leave the guard in force for the rest of the job');
    context.report.table('Plan (dry run, nothing changed)', ['Canister', 'Replaces', 'Deploy', 'Checks'], plans.map(p => [
        p.label,
        p.replace?.id ?? '—',
        guard.deploy ? `\`${guard.deploy}\`` : 'later steps',
        gates.join(', ') || '—'
    ]));
}
/** One canister: the plain value; a group: a JSON object from principal to value. */
function perCanister(entries) {
    if (entries.length === 0)
        return '';
    return entries.length === 1 ? entries[0][1] : JSON.stringify(Object.fromEntries(entries));
}


/***/ })

};

//# sourceMappingURL=965.index.js.map