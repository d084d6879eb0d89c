export const id = 338;
export const ids = [338];
export const modules = {

/***/ 11338:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   create: () => (/* binding */ create)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(27242);
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(28855);
/* harmony import */ var _preflight_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(63611);
/* harmony import */ var _take_snapshots_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(83765);
// create: stop, take a snapshot, start again if it was running. Every canister is checked before any stops.





async function create(context) {
    const { inputs, report } = context;
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .startGroup */ .Oh('Preflight');
    const plans = await (0,_take_snapshots_js__WEBPACK_IMPORTED_MODULE_4__/* .planSnapshots */ .Nn)(context, inputs.canisters).finally(() => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .endGroup */ .N4());
    if (inputs.dryRun) {
        for (const plan of plans) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`[dry run] would stop ${plan.label}, take a snapshot${plan.replace ? ` replacing ${plan.replace.id}` : ''}${inputs.uninstallCode ? ' and uninstall its code in the same call' : ''}, and start it again if it was running`);
        }
        report.table('Plan (dry run, nothing changed)', ['Canister', 'Replaces'], plans.map(p => [p.label, p.replace?.id ?? '—']));
        return;
    }
    const taken = await (0,_take_snapshots_js__WEBPACK_IMPORTED_MODULE_4__/* .takePlanned */ .Kc)(context, plans);
    const [first] = taken;
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Outputs */ .tY.SnapshotId, first.snapshot.id);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Outputs */ .tY.TakenAt, (0,_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .isoTime */ .Ly)(first.snapshot.takenAtNs));
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Outputs */ .tY.SizeBytes, first.snapshot.sizeBytes.toString());
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Outputs */ .tY.ModuleHash, first.plan.moduleHash);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Outputs */ .tY.SnapshotIds, JSON.stringify(Object.fromEntries(taken.map(t => [t.plan.canisterId.toText(), t.snapshot.id]))));
    report.table('Snapshots taken', ['Canister', 'Snapshot id', 'Taken at', 'Size', 'Module', 'Replaced', 'Running after'], taken.map(({ plan, snapshot, restarted }) => [
        plan.label,
        `<code>${snapshot.id}</code>`,
        (0,_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .isoTime */ .Ly)(snapshot.takenAtNs),
        (0,_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .formatBytes */ .z3)(snapshot.sizeBytes),
        `<code>${(0,_preflight_js__WEBPACK_IMPORTED_MODULE_3__/* .shortHash */ .B)(plan.moduleHash)}</code>`,
        plan.replace ? `<code>${plan.replace.id}</code>` : '—',
        `${restarted ? 'yes' : 'no (it was not running before)'}${inputs.uninstallCode ? ', empty: code uninstalled' : ''}`
    ]));
    if (inputs.uninstallCode) {
        report.note(`'${_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Inputs */ .G0.UninstallCode}': the code and memory of ${taken.length === 1 ? 'the canister are' : 'each canister are'} gone; the snapshot is the only copy of the state. Load it with <code>mode: restore</code> to bring the canister back.`);
    }
}


/***/ })

};

//# sourceMappingURL=338.index.js.map