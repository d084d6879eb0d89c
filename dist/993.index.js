export const id = 993;
export const ids = [993];
export const modules = {

/***/ 50993:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   deleteSnapshots: () => (/* binding */ deleteSnapshots)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(27242);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(83916);
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(28855);
/* harmony import */ var _preflight_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(63611);
// delete: one snapshot, or all but the newest N. The list is read first, so only ids that exist are named.





async function deleteSnapshots(context) {
    const { inputs, management, report } = context;
    const canisterId = inputs.canisters[0].principal;
    const { snapshots } = await (0,_preflight_js__WEBPACK_IMPORTED_MODULE_4__/* .preflight */ .M)(management, canisterId, inputs.identity.principal, { code: false });
    const doomed = choose(snapshots, context);
    const prefix = inputs.dryRun ? '[dry run] would delete' : 'Deleting';
    for (const snapshot of doomed) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${prefix} ${snapshot.id} (taken ${(0,_summary_js__WEBPACK_IMPORTED_MODULE_3__/* .isoTime */ .Ly)(snapshot.takenAtNs)}, ${(0,_summary_js__WEBPACK_IMPORTED_MODULE_3__/* .formatBytes */ .z3)(snapshot.sizeBytes)})`);
        if (!inputs.dryRun)
            await management.deleteSnapshot(canisterId, snapshot.id);
    }
    if (doomed.length === 0)
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq('Nothing to delete');
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Outputs */ .tY.Deleted, JSON.stringify(inputs.dryRun ? [] : doomed.map(s => s.id)));
    report.table(inputs.dryRun ? 'Would delete (dry run, nothing changed)' : 'Deleted', ['Canister', 'Snapshot id', 'Taken at', 'Size'], doomed.length
        ? doomed.map(s => [
            canisterId.toText(),
            `<code>${s.id}</code>`,
            (0,_summary_js__WEBPACK_IMPORTED_MODULE_3__/* .isoTime */ .Ly)(s.takenAtNs),
            (0,_summary_js__WEBPACK_IMPORTED_MODULE_3__/* .formatBytes */ .z3)(s.sizeBytes)
        ])
        : [[canisterId.toText(), 'none', '—', '—']]);
}
function choose(snapshots, context) {
    const { snapshot, keepLast } = context.inputs;
    const canister = context.inputs.canisters[0].principal.toText();
    if (keepLast !== undefined)
        return snapshots.slice(0, Math.max(0, snapshots.length - keepLast));
    if (snapshot?.kind === 'latest')
        return snapshots.slice(-1);
    const found = snapshots.find(s => s.id === snapshot.id);
    if (!found) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Inputs */ .G0.SnapshotId, `${canister} has no snapshot ${snapshot.id}; it has ${snapshots.map(s => s.id).join(', ') || 'none'}`);
    }
    return [found];
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


/***/ })

};

//# sourceMappingURL=993.index.js.map