export const id = 426;
export const ids = [426];
export const modules = {

/***/ 45426:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   list: () => (/* binding */ list)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(27242);
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(28855);



async function list(context) {
    const { inputs, management, report } = context;
    const entries = [];
    for (const canister of inputs.canisters) {
        const snapshots = await management.listSnapshots(canister.principal);
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${canister.principal.toText()}: ${snapshots.length} snapshot(s)`);
        for (const s of snapshots) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`  ${s.id}  ${(0,_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .isoTime */ .Ly)(s.takenAtNs)}  ${(0,_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .formatBytes */ .z3)(s.sizeBytes)}`);
            entries.push({
                canister: canister.principal.toText(),
                id: s.id,
                taken_at: (0,_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .isoTime */ .Ly)(s.takenAtNs),
                taken_at_ns: s.takenAtNs.toString(),
                size_bytes: s.sizeBytes.toString()
            });
        }
    }
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .Outputs */ .tY.Snapshots, JSON.stringify(entries));
    report.table('Snapshots', ['Canister', 'Snapshot id', 'Taken at', 'Size'], entries.length
        ? entries.map(e => [e.canister, `<code>${e.id}</code>`, e.taken_at, (0,_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .formatBytes */ .z3)(BigInt(e.size_bytes))])
        : [[inputs.canisters.map(c => c.principal.toText()).join(', '), 'none', '—', '—']]);
}


/***/ })

};

//# sourceMappingURL=426.index.js.map