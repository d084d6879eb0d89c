export const id = 45;
export const ids = [45];
export const modules = {

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


/***/ }),

/***/ 40404:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  downloadArtifact: () => (/* binding */ downloadArtifact)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(33838);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(27242);
// EXTERNAL MODULE: ./src/github/artifact.ts + 3 modules
var github_artifact = __webpack_require__(35479);
// EXTERNAL MODULE: ./src/github/ghes.ts
var ghes = __webpack_require__(95616);
// EXTERNAL MODULE: ./node_modules/@actions/cache/lib/cache.js + 91 modules
var cache = __webpack_require__(18091);
// EXTERNAL MODULE: ./src/ic/errors.ts
var errors = __webpack_require__(37649);
;// CONCATENATED MODULE: ./src/github/cache.ts
// A finished snapshot directory saved with @actions/cache, so a later download of the same snapshot reads
// the cache instead of the IC. A snapshot id never names two states, so the id is a complete cache key.




function snapshotCacheKey(canisterId, snapshotId) {
    return `canister-snapshot-${canisterId}-${snapshotId}`;
}
/**
 * The cache version hashes the paths as given, and the workspace's absolute path differs between jobs and
 * runners; a path inside the workspace is therefore given relative to it (the working directory).
 */
function cachePath(dir) {
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    const rel = (0,external_node_path_.relative)(workspace, dir);
    return rel && !rel.startsWith('..') && !(0,external_node_path_.isAbsolute)(rel) ? rel : dir;
}
async function restoreSnapshotDir(dir, key) {
    if (!cache/* isFeatureAvailable */.w3()) {
        core/* info */.pq('The cache service is not available to this job; downloading from the IC.');
        return false;
    }
    try {
        return (await cache/* restoreCache */.P3([cachePath(dir)], key)) === key;
    }
    catch (error) {
        // A cache that cannot be read is only a slower path, never a failure.
        core/* warning */.$e(`Could not read the cache (${(0,errors/* describe */.q0)(error)}); downloading from the IC.`);
        return false;
    }
}
async function saveSnapshotDir(dir, key) {
    if (!cache/* isFeatureAvailable */.w3())
        return false;
    try {
        return (await cache/* saveCache */.Io([cachePath(dir)], key)) !== -1;
    }
    catch (error) {
        core/* warning */.$e(`Could not save the snapshot to the cache (${(0,errors/* describe */.q0)(error)}).`);
        return false;
    }
}

// EXTERNAL MODULE: ./src/summary.ts
var summary = __webpack_require__(28855);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./src/ic/snapshot-data.ts + 1 modules
var snapshot_data = __webpack_require__(9790);
// EXTERNAL MODULE: ./src/snapshot-dir/checksums.ts
var checksums = __webpack_require__(84506);
// EXTERNAL MODULE: ./src/snapshot-dir/files.ts
var files = __webpack_require__(9809);
// EXTERNAL MODULE: ./src/snapshot-dir/layout.ts
var layout = __webpack_require__(39526);
// EXTERNAL MODULE: ./src/snapshot-dir/metadata.ts + 1 modules
var snapshot_dir_metadata = __webpack_require__(55736);
// EXTERNAL MODULE: ./src/snapshot-dir/verify.ts
var verify = __webpack_require__(68229);
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
;// CONCATENATED MODULE: ./src/transfer/download.ts
// Download of a snapshot into an icp-cli snapshot directory: metadata.json, then the memories' slices with a
// bounded number in flight across all three, then the chunk store; resumable from icp-cli's progress file;
// finished with SHA256SUMS and manifest.json.




















async function downloadSnapshot(options) {
    const { connection, canisterId, snapshotId, dir } = options;
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const data = new snapshot_data/* SnapshotData */.N(connection, canisterId, snapshotId);
    const metadata = (0,snapshot_dir_metadata/* metadataFromResponse */.TG)(await data.readMetadata());
    // Encoding first: a snapshot that metadata.json cannot describe fails before anything is written.
    const metadataJson = (0,snapshot_dir_metadata/* encodeMetadataJson */.CG)(metadata);
    const snapshot = { canister: canisterId.toText(), snapshotId, metadata };
    const resumed = await prepareDir(dir, metadataJson, options.resume ?? false, snapshot);
    const sizes = Object.fromEntries(layout/* BLOB_KINDS */.yD.map(kind => [kind, Number((0,layout/* blobSize */.LE)(metadata, kind))]));
    const saved = resumed ? await (0,progress_files/* loadDownloadProgress */.YG)(dir, sizes) : undefined;
    if (resumed && !saved) {
        const complete = await alreadyComplete(dir);
        if (complete)
            return { bytes: 0, seconds: seconds(), files: complete, metadata, resumed };
    }
    // Rewritten at the end; until then a stale pair must not vouch for a half-written directory.
    await (0,promises_.rm)((0,external_node_path_.join)(dir, layout/* SHA256SUMS_FILE */.dK), { force: true });
    await (0,promises_.rm)((0,external_node_path_.join)(dir, layout/* MANIFEST_FILE */.h1), { force: true });
    const progress = saved ?? (0,progress_files/* newDownloadProgress */._P)(sizes);
    const handles = await openBlobFiles(dir, metadata, progress);
    const saver = new progress_saver/* ProgressSaver */.R(async () => {
        // Only slices whose bytes are on disk may be recorded as done: take the state, flush the files, then save.
        const state = (0,progress_files/* encodeDownloadProgress */.wD)(progress);
        await Promise.all(Object.values(handles).map(handle => handle?.datasync()));
        await (0,progress_files/* saveDownloadProgress */.je)(dir, state);
    });
    const totalBytes = layout/* BLOB_KINDS */.yD.reduce((sum, kind) => sum + sizes[kind], 0);
    const onProgress = options.onProgress ?? (0,progress_log/* progressLogger */.St)();
    let transferred = 0;
    const jobs = [
        ...layout/* BLOB_KINDS */.yD.flatMap(kind => [...(0,slices/* slicesOf */.nu)(kind, sizes[kind], offset => progress[kind].needs(offset))]),
        ...metadata.wasmChunkStore.map(hash => ({ kind: 'wasm_chunk', hash }))
    ];
    const congestion = (0,flow/* congestionFor */.d)(data, options.concurrency ?? defaults/* DEFAULT_CONCURRENCY */.WH);
    try {
        await (0,transfer_congestion/* runAdaptive */.UL)(jobs, congestion, async (job) => {
            if (job.kind === 'wasm_chunk') {
                const hex = Buffer.from(job.hash).toString('hex');
                transferred += await (0,transfer_errors/* step */.PM)(`reading Wasm chunk ${hex}`, () => downloadChunk(data, dir, job.hash));
                return;
            }
            const bytes = await (0,transfer_errors/* step */.PM)(`reading ${job.kind} at ${job.offset}`, () => (0,flow/* timed */.a)(congestion, `read ${job.kind} at ${job.offset}`, () => data.readSlice(job.kind, job.offset, job.size)));
            await (0,transfer_errors/* step */.PM)(`writing ${(0,layout/* blobFile */.c7)(job.kind)} at ${job.offset}`, () => writeAll(handles[job.kind], bytes, job.offset));
            progress[job.kind].complete(job.offset);
            transferred += bytes.length;
            saver.request();
            onProgress({
                direction: 'download',
                doneBytes: layout/* BLOB_KINDS */.yD.reduce((sum, kind) => sum + progress[kind].doneBytes, 0),
                totalBytes,
                transferredBytes: transferred,
                elapsedSeconds: seconds()
            });
        });
    }
    catch (error) {
        await saver.flush().catch(() => undefined);
        await closeAll(handles);
        const done = layout/* BLOB_KINDS */.yD.reduce((sum, kind) => sum + progress[kind].doneBytes, 0);
        throw new transfer_errors/* TransferError */.aG(`Download of snapshot ${snapshotId} of ${canisterId.toText()} stopped: ${(0,errors/* describe */.q0)(error)}. ` +
            `${(0,progress_log/* formatMB */.fl)(done)} of ${(0,progress_log/* formatMB */.fl)(totalBytes)} are kept in ${dir} with ${layout/* DOWNLOAD_PROGRESS_FILE */.oB}; ` +
            `a download of snapshot ${snapshotId} into the same path fetches only the rest.`);
    }
    core/* info */.pq(`Slices in flight: ${congestion.summary()}`);
    await saver.flush();
    await closeAll(handles);
    // Checksums before the progress file goes: if this run dies in between, a resume finds nothing left to fetch.
    const { files } = await (0,checksums/* writeChecksums */.gD)(dir, snapshot);
    await (0,progress_files/* removeProgress */.ME)(dir, layout/* DOWNLOAD_PROGRESS_FILE */.oB);
    return {
        bytes: transferred,
        seconds: seconds(),
        files,
        metadata,
        resumed,
        inFlight: { peak: congestion.peak, last: congestion.level }
    };
}
/**
 * Creates `dir` (and wasm_chunk_store/) or checks what is in it; returns whether a download is resumed.
 * icp-cli refuses a directory with metadata.json or a memory file unless resuming (snapshot download.rs).
 */
async function prepareDir(dir, metadataJson, resume, snapshot) {
    await (0,promises_.mkdir)((0,external_node_path_.join)(dir, layout/* CHUNK_STORE_DIR */.QN), { recursive: true });
    const entries = (await (0,promises_.readdir)(dir)).filter(name => !layout/* TRANSFER_STATE_FILES */.SO.includes(name));
    const chunkStoreEmpty = (await (0,promises_.readdir)((0,external_node_path_.join)(dir, layout/* CHUNK_STORE_DIR */.QN))).length === 0;
    const occupied = entries.filter(name => !(name === layout/* CHUNK_STORE_DIR */.QN && chunkStoreEmpty));
    if (occupied.length === 0) {
        await (0,progress_files/* removeProgress */.ME)(dir, layout/* DOWNLOAD_PROGRESS_FILE */.oB);
        await (0,files/* writeFileAtomic */.Zf)((0,external_node_path_.join)(dir, layout/* METADATA_FILE */.VR), metadataJson);
        return false;
    }
    if (!resume)
        throw new transfer_errors/* TransferError */.aG(`Directory ${dir} is not empty. Use resume to continue a previous download or choose an empty directory.`);
    const existing = await (0,promises_.readFile)((0,external_node_path_.join)(dir, layout/* METADATA_FILE */.VR), 'utf8').catch(() => undefined);
    if (existing === undefined)
        throw new transfer_errors/* TransferError */.aG(`Cannot resume: no existing download found in ${dir} (it holds ${occupied[0]} but no ${layout/* METADATA_FILE */.VR}); choose an empty directory.`);
    // Compared by content, not bytes: dfx or another icp-cli version may format the same metadata differently.
    let same;
    try {
        same = (0,snapshot_dir_metadata/* encodeMetadataJson */.CG)((0,snapshot_dir_metadata/* parseMetadataJson */.ro)(existing)) === metadataJson;
    }
    catch {
        same = false;
    }
    if (!same)
        throw new transfer_errors/* TransferError */.aG(`Cannot resume: ${(0,external_node_path_.join)(dir, layout/* METADATA_FILE */.VR)} is not the metadata of snapshot ${snapshot.snapshotId} of ` +
            `${snapshot.canister}; choose an empty directory for this snapshot.`);
    if (existing !== metadataJson)
        await (0,files/* writeFileAtomic */.Zf)((0,external_node_path_.join)(dir, layout/* METADATA_FILE */.VR), metadataJson);
    return true;
}
/**
 * The files of a finished download, which wrote SHA256SUMS last, if they still match it. Otherwise (no
 * SHA256SUMS, as after icp-cli, or a file that changed since) everything is fetched again, as icp-cli does.
 */
async function alreadyComplete(dir) {
    const finished = await (0,promises_.stat)((0,external_node_path_.join)(dir, layout/* SHA256SUMS_FILE */.dK)).then(() => true, () => false);
    if (!finished)
        return undefined;
    try {
        const verified = await (0,verify/* verifySnapshotDir */.d)(dir);
        return verified.files.filter((file) => file.sha256 !== undefined);
    }
    catch (error) {
        if (!(error instanceof verify/* SnapshotDirError */.U))
            throw error;
        core/* info */.pq(`${(0,errors/* describe */.q0)(error)}; downloading the snapshot again`);
        return undefined;
    }
}
/**
 * Opens each memory file for positional writes, sized to the memory (icp-cli pre-allocates with set_len too),
 * and writes an empty stable_memory.bin as icp-cli does.
 */
async function openBlobFiles(dir, metadata, progress) {
    const handles = {};
    for (const kind of layout/* BLOB_KINDS */.yD) {
        const path = (0,external_node_path_.join)(dir, (0,layout/* blobFile */.c7)(kind));
        const size = Number((0,layout/* blobSize */.LE)(metadata, kind));
        if (size === 0) {
            if ((0,layout/* blobFileWritten */.Xi)(kind, 0n))
                await (0,promises_.writeFile)(path, '');
            else
                await (0,promises_.rm)(path, { force: true });
            continue;
        }
        // Not 'a' mode: appends would ignore the position.
        const handle = await (0,promises_.open)(path, external_node_fs_.constants.O_RDWR | external_node_fs_.constants.O_CREAT, 0o644);
        // A file of another length was not pre-sized by this download (nor by icp-cli's): its progress is void.
        if ((await handle.stat()).size !== size) {
            progress[kind] = new slices/* SliceProgress */.yz(size);
            await handle.truncate(size);
        }
        handles[kind] = handle;
    }
    return handles;
}
async function writeAll(handle, bytes, position) {
    for (let written = 0; written < bytes.length;) {
        const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, position + written);
        written += bytesWritten;
    }
}
async function closeAll(handles) {
    await Promise.all(Object.values(handles).map(handle => handle?.close().catch(() => undefined)));
}
/** Fetches one chunk unless its file is there with the right hash; returns the bytes read from the IC. */
async function downloadChunk(data, dir, hash) {
    const hex = Buffer.from(hash).toString('hex');
    const path = (0,external_node_path_.join)(dir, (0,layout/* chunkFile */.E9)(hash));
    const onDisk = await (0,files/* sha256File */.Q3)(path).catch(() => undefined);
    if (onDisk?.sha256 === hex)
        return 0;
    const bytes = await data.readChunk(hash);
    const actual = (0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex');
    if (actual !== hex)
        throw new transfer_errors/* TransferError */.aG(`the IC returned a Wasm chunk with sha256 ${actual} for chunk ${hex}`);
    await (0,promises_.writeFile)(path, bytes);
    return bytes.length;
}

// EXTERNAL MODULE: ./src/inputs/transfer.ts
var transfer = __webpack_require__(49898);
// EXTERNAL MODULE: ./src/untrusted-text.ts
var untrusted_text = __webpack_require__(38521);
;// CONCATENATED MODULE: ./src/modes/cache-hit.ts
// A cache entry is written by any job of the branch (or of the default branch), under a key anyone can
// predict; so a hit is trusted only once it is the snapshot the IC has: exactly the files its SHA256SUMS
// lists, the metadata the IC reports for that snapshot, and the module the IC holds in it. Its memories are
// checked against its own SHA256SUMS only: comparing them with the IC would mean reading them again.








async function checkCacheHit(connection, management, canisterId, snapshotId, dir) {
    let verified;
    try {
        verified = await (0,verify/* verifySnapshotDir */.d)(dir, { untrusted: true });
    }
    catch (error) {
        return { trusted: false, problem: (0,errors/* describe */.q0)(error) };
    }
    const onIc = (0,snapshot_dir_metadata/* metadataFromResponse */.TG)(await new snapshot_data/* SnapshotData */.N(connection, canisterId, snapshotId).readMetadata());
    if ((await (0,promises_.readFile)((0,external_node_path_.join)(dir, layout/* METADATA_FILE */.VR), 'utf8')) !== (0,snapshot_dir_metadata/* encodeMetadataJson */.CG)(onIc))
        return {
            trusted: false,
            problem: `its ${layout/* METADATA_FILE */.VR} is not what the IC reports for snapshot ${snapshotId}`
        };
    const module = (0,external_node_crypto_.createHash)('sha256')
        .update(await management.readSnapshotModule(canisterId, snapshotId))
        .digest('hex');
    const cached = verified.files.find(file => file.path === 'wasm_module.bin')?.sha256 ?? hashOfEmpty();
    if (cached !== module)
        return {
            trusted: false,
            problem: `its wasm_module.bin is not the module the IC holds in snapshot ${snapshotId}`
        };
    return { trusted: true, verified };
}
function hashOfEmpty() {
    return (0,external_node_crypto_.createHash)('sha256').digest('hex');
}

// EXTERNAL MODULE: ./src/modes/find-snapshot.ts
var find_snapshot = __webpack_require__(82854);
// EXTERNAL MODULE: ./src/modes/cycles-preflight.ts + 1 modules
var cycles_preflight = __webpack_require__(63184);
// EXTERNAL MODULE: ./src/modes/preflight.ts
var preflight = __webpack_require__(63611);
// EXTERNAL MODULE: ./src/modes/take-snapshots.ts
var take_snapshots = __webpack_require__(83765);
;// CONCATENATED MODULE: ./src/modes/download-artifact.ts
// download-artifact: a snapshot (taken now, the newest, or a given one) to disk, verified, and kept as a
// workflow artifact; with `cache`, a later download of the same snapshot is served from the cache.


















async function downloadArtifact(context) {
    const { inputs, connection, report } = context;
    const [canister] = inputs.canisters;
    const canisterId = canister.principal;
    const label = (0,take_snapshots/* canisterLabel */.u5)(canister);
    let snapshot;
    // Before anything else: on GHES nothing could be kept, so nothing is stopped or read.
    (0,ghes/* checkArtifactsSupported */.M)('download-artifact', 'nothing was changed. On GHES, download the snapshot with `icp canister snapshot download` in a run step');
    core/* startGroup */.Oh('Preflight');
    if (inputs.snapshot?.kind === 'new') {
        const plans = await (0,take_snapshots/* planSnapshots */.Nn)(context, [canister], plan => ({
            ...(0,cycles_preflight/* takeWork */.n)(plan.replace?.sizeBytes),
            download: 'taken'
        })).finally(() => core/* endGroup */.N4());
        if (inputs.dryRun)
            return dryRun(context, `take a new snapshot of ${label}, download it and keep it as an artifact`);
        [{ snapshot }] = await (0,take_snapshots/* takePlanned */.Kc)(context, plans);
    }
    else {
        snapshot = await existingSnapshot(context).finally(() => core/* endGroup */.N4());
    }
    const id = canisterId.toText();
    const dir = inputs.transfer.path ??
        (0,external_node_path_.join)(process.env.RUNNER_TEMP || process.cwd(), 'canister-snapshots', `${id}-${snapshot.id}`);
    const artifactName = (0,transfer/* checkArtifactName */.CN)(inputs.transfer.artifactName ?? `snapshot-${id}-${snapshot.id}`);
    if (inputs.dryRun)
        return dryRun(context, `download snapshot ${snapshot.id} of ${label} to ${dir} and keep it as '${artifactName}'`);
    const cacheKey = snapshotCacheKey(id, snapshot.id);
    let source = 'IC';
    let seconds = 0;
    if (inputs.transfer.cache && (await restoreSnapshotDir(dir, cacheKey))) {
        core/* info */.pq(`Restored ${dir} from the cache (key ${cacheKey}); checking it against the IC`);
        const hit = await checkCacheHit(connection, context.management, canisterId, snapshot.id, dir);
        if (hit.trusted)
            source = 'cache';
        else {
            core/* warning */.$e(`The cache entry ${cacheKey} is not snapshot ${snapshot.id} as the IC has it (${(0,untrusted_text/* inert */.tJ)(hit.problem)}); downloading from the IC instead`);
            await (0,promises_.rm)(dir, { recursive: true, force: true });
        }
    }
    if (source === 'IC') {
        core/* startGroup */.Oh(`Download of snapshot ${snapshot.id}`);
        try {
            const result = await downloadSnapshot({
                connection,
                canisterId,
                snapshotId: snapshot.id,
                dir,
                concurrency: inputs.transfer.concurrency,
                resume: true
            });
            seconds = result.seconds;
        }
        finally {
            core/* endGroup */.N4();
        }
    }
    const verified = await (0,verify/* verifySnapshotDir */.d)(dir);
    if (source === 'cache' && verified.checksums !== 'sha256sums') {
        throw new errors/* ActionError */.lZ(`The cached snapshot in ${dir} has no SHA256SUMS to verify it against; delete the cache entry ${cacheKey}.`);
    }
    core/* info */.pq(`Verified ${dir}: ${verified.checksums === 'sha256sums' ? 'every file matches SHA256SUMS' : 'sizes and chunk hashes match'}`);
    const artifact = await (0,github_artifact/* keepAsArtifact */.M)(artifactName, dir, {
        retentionDays: inputs.transfer.retentionDays,
        compressionLevel: inputs.transfer.compressionLevel,
        encryptWith: inputs.transfer.encryptWith
    });
    core/* info */.pq(`Stored artifact '${artifactName}' (id ${artifact.id}, ${(0,summary/* formatBytes */.z3)(BigInt(artifact.size))}, ${artifact.digest ?? 'no digest'})`);
    const cached = inputs.transfer.cache && source === 'IC' ? await saveSnapshotDir(dir, cacheKey) : false;
    core/* setOutput */.uH(constants/* Outputs */.tY.ArtifactId, String(artifact.id));
    core/* setOutput */.uH(constants/* Outputs */.tY.ArtifactDigest, artifact.digest ?? '');
    core/* setOutput */.uH(constants/* Outputs */.tY.Path, dir);
    core/* setOutput */.uH(constants/* Outputs */.tY.SnapshotId, snapshot.id);
    core/* setOutput */.uH(constants/* Outputs */.tY.TakenAt, (0,summary/* isoTime */.Ly)(snapshot.takenAtNs));
    core/* setOutput */.uH(constants/* Outputs */.tY.SizeBytes, verified.totalBytes.toString());
    const throughput = seconds > 0 ? `${(Number(verified.totalBytes) / 1e6 / seconds).toFixed(1)} MB/s` : '—';
    report.table('Snapshot kept as an artifact', ['', ''], [
        ['Canister', label],
        ['Snapshot', `<code>${snapshot.id}</code> (taken ${(0,summary/* isoTime */.Ly)(snapshot.takenAtNs)})`],
        [
            'Read from',
            source === 'cache'
                ? `the cache (key <code>${cacheKey}</code>), checked against the IC's metadata and module; no memory read from the IC`
                : `the IC in ${seconds.toFixed(1)} s, ${throughput}`
        ],
        ['Size on disk', (0,summary/* formatBytes */.z3)(verified.totalBytes)],
        [
            'Checksums',
            verified.checksums === 'sha256sums'
                ? `${verified.files.length} files verified against SHA256SUMS`
                : 'sizes and chunk hashes'
        ],
        ['Artifact', `'${artifactName}', id ${artifact.id}, ${(0,summary/* formatBytes */.z3)(BigInt(artifact.size))}`],
        ['Digest', `<code>${artifact.digest ?? '—'}</code>`],
        [
            'Cache',
            inputs.transfer.cache
                ? source === 'cache'
                    ? 'hit'
                    : cached
                        ? `saved as <code>${cacheKey}</code>`
                        : 'not saved'
                : 'off'
        ],
        ['Path', `<code>${dir}</code>`]
    ]);
}
async function existingSnapshot(context) {
    const { inputs, management } = context;
    const canisterId = inputs.canisters[0].principal;
    const { snapshots } = await (0,preflight/* preflight */.M)(management, canisterId, inputs.identity.principal, { code: false });
    const snapshot = await (0,find_snapshot/* findSnapshot */.C)(management, canisterId, snapshots, inputs.snapshot);
    // Each read is charged to the canister it names (`read_snapshot_data`), here the one whose snapshot it is.
    await (0,cycles_preflight/* checkCycles */.E)(management, [
        {
            canisterId,
            label: (0,take_snapshots/* canisterLabel */.u5)(inputs.canisters[0]),
            work: { takes: 0, loads: 0, freedBytes: 0n, download: snapshot.sizeBytes }
        }
    ]);
    return snapshot;
}
function dryRun(context, plan) {
    core/* info */.pq(`[dry run] would ${plan}`);
    context.report.table('Plan (dry run, nothing changed)', ['Step'], [[plan]]);
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


/***/ })

};

//# sourceMappingURL=45.index.js.map