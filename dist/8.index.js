export const id = 8;
export const ids = [8];
export const modules = {

/***/ 35479:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  t: () => (/* binding */ fetchArtifact),
  M: () => (/* binding */ keepAsArtifact)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(33838);
// EXTERNAL MODULE: ./node_modules/@actions/artifact/lib/artifact.js + 107 modules
var lib_artifact = __webpack_require__(67458);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(27242);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/ic/errors.ts
var ic_errors = __webpack_require__(37649);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(46466);
// EXTERNAL MODULE: ./src/untrusted-text.ts
var untrusted_text = __webpack_require__(38521);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: ./node_modules/age-encryption/dist/index.js + 51 modules
var dist = __webpack_require__(19752);
;// CONCATENATED MODULE: ./src/github/encryption.ts
// `encrypt-with`: anyone who can read the repository can download its artifacts, so the snapshot goes into
// the artifact as ONE age file (age-encryption.org/v1, scrypt passphrase recipient) of a tar archive of the
// snapshot directory. age's header MAC binds the header to the passphrase, and its payload is a chunked AEAD
// (64 KiB chunks, each with its own counter nonce and a last-chunk flag), so dropping, reordering, swapping or
// cutting off any part of the archive fails to decrypt. Both directions stream: memory stays bounded.






/** The one file of an encrypted artifact; `age -d snapshot.tar.age | tar -x` opens it by hand. */
const ENCRYPTED_ARCHIVE_FILE = 'snapshot.tar.age';
/** What an artifact of an earlier, per-file format held; nothing was released in it, so it is only refused. */
const EARLIER_FORMAT_FILE = 'ENCRYPTION.json';
/**
 * log2 of scrypt's N when encrypting: 18 is the age CLI's own default (age's scrypt.go), so an artifact is as
 * costly to guess as `age -p` output. The pure-JS scrypt here takes about 1.4 to 2.1 s and 256 MiB at 18
 * (0.2 s at 15, 0.45 s at 16, 0.75 s at 17, measured on this project's 2-core CI machine): once per step,
 * small beside a snapshot transfer.
 */
const SCRYPT_WORK_FACTOR = 18;
/**
 * Work factors a header may ask for. The header is read before its MAC can be checked, so its work factor is
 * attacker's text: age-encryption would run scrypt up to 2^20 (1 GiB, many seconds); this action never writes
 * more than SCRYPT_WORK_FACTOR, and never less than 15.
 */
const SCRYPT_WORK_FACTOR_BOUNDS = { min: 15, max: SCRYPT_WORK_FACTOR };
/** Encrypts `plain` (the tar archive) to the passphrase; the result streams as it is read. */
async function encryptingStream(plain, passphrase) {
    const encrypter = new dist/* Encrypter */.T7();
    encrypter.setPassphrase(passphrase);
    encrypter.setScryptWorkFactor(SCRYPT_WORK_FACTOR);
    const encrypted = await encrypter.encrypt(external_node_stream_.Readable.toWeb(plain));
    return external_node_stream_.Readable.fromWeb(encrypted);
}
/** A header that this action did not write and that is refused before any scrypt work. */
class RefusedHeader extends Error {
}
/**
 * Looks at the header's stanzas before the passphrase identity does (age-encryption's Decrypter asks its
 * identities in the order they were added): one scrypt stanza whose work factor is within bounds passes on
 * to it; anything else stops here, before scrypt runs.
 */
class ScryptWorkFactorBounds {
    unwrapFileKey(stanzas) {
        const [stanza] = stanzas;
        if (stanzas.length !== 1 || stanza.args[0] !== 'scrypt')
            throw new RefusedHeader(`is not encrypted with a passphrase alone (its header names ${stanzas.length === 0 ? 'no recipient' : stanzas.map(s => (0,untrusted_text/* inert */.tJ)(s.args[0] ?? '', 40)).join(', ')})`);
        // age-encryption.org/v1/scrypt: `-> scrypt <salt> <log2 N>`, log2 N a decimal without leading zeros.
        const logN = stanza.args[2] ?? '';
        const { min, max } = SCRYPT_WORK_FACTOR_BOUNDS;
        if (!/^[1-9][0-9]{0,2}$/.test(logN) || Number(logN) < min || Number(logN) > max)
            throw new RefusedHeader(`asks for scrypt work factor 2^${(0,untrusted_text/* inert */.tJ)(logN, 20)}; this action writes 2^${SCRYPT_WORK_FACTOR} and accepts 2^${min} to 2^${max}`);
        return null;
    }
}
/**
 * Decrypts the age file `encrypted` with the passphrase; the header (and its MAC) is checked before this
 * returns, the payload chunk by chunk as the result is read. A payload that fails its check ends the result
 * with an ActionError naming the artifact.
 */
async function decryptingStream(encrypted, passphrase, artifactName) {
    const decrypter = new dist/* Decrypter */.Hz();
    decrypter.addIdentity(new ScryptWorkFactorBounds());
    decrypter.addPassphrase(passphrase);
    let plain;
    try {
        plain = await decrypter.decrypt(external_node_stream_.Readable.toWeb(encrypted));
    }
    catch (error) {
        encrypted.destroy();
        if (error instanceof RefusedHeader)
            throw new ic_errors/* ActionError */.lZ(`The encrypted artifact '${artifactName}' ${error.message}: it was not made by this action, so nothing was decrypted.`);
        if (isFileError(error))
            throw error;
        // age-encryption: "no identity matched any of the file's recipients" when the passphrase does not open
        // the stanza, "invalid header HMAC" when it does but the header was changed.
        throw new errors/* InputError */.d(constants/* Inputs */.G0.EncryptWith, `does not decrypt artifact '${artifactName}': a wrong passphrase, or the artifact was changed`);
    }
    return external_node_stream_.Readable.from(payload(plain, artifactName), { objectMode: false });
}
async function* payload(plain, artifactName) {
    try {
        for await (const chunk of plain)
            yield chunk;
    }
    catch (error) {
        if (isFileError(error))
            throw error;
        // The header checked out, so the passphrase is right: a chunk's tag failed, or the last chunk is missing.
        throw new ic_errors/* ActionError */.lZ(`The encrypted artifact '${artifactName}' was changed or cut short after it was encrypted (${(0,untrusted_text/* inert */.tJ)(String(error?.message ?? error), 200)}); nothing was uploaded.`);
    }
}
function isFileError(error) {
    return typeof error?.code === 'string' && error instanceof Error;
}

// EXTERNAL MODULE: ./node_modules/tar-stream/index.js
var tar_stream = __webpack_require__(56118);
// EXTERNAL MODULE: ./node_modules/tar-stream/headers.js
var headers = __webpack_require__(88428);
// EXTERNAL MODULE: ./src/snapshot-dir/layout.ts
var layout = __webpack_require__(39526);
// EXTERNAL MODULE: ./src/snapshot-dir/metadata.ts + 1 modules
var snapshot_dir_metadata = __webpack_require__(55736);
;// CONCATENATED MODULE: ./src/github/snapshot-archive.ts
// A snapshot directory as one tar stream (tar-stream), and back. The archive is what `encrypt-with` puts in
// the artifact, so extraction treats it as hostile even after it decrypted: only the files of the snapshot
// layout, as regular files, each once, with sizes bounded before their bytes arrive, into an empty directory.






// The decoder tar-stream's extract itself uses, so the header guard below sees the same entries it does.





/** metadata.json, manifest.json and SHA256SUMS: a few KiB for any snapshot (at most 1000 globals and 100 chunks). */
const SMALL_FILE_MAX_BYTES = 4 * 1024 * 1024;
/** A Wasm chunk store chunk is at most 1 MiB (interface spec, upload_chunk). */
const CHUNK_MAX_BYTES = 1024 * 1024;
const SMALL_FILES = [layout/* METADATA_FILE */.VR, layout/* MANIFEST_FILE */.h1, layout/* SHA256SUMS_FILE */.dK];
const CHUNK_ENTRY = new RegExp(`^${layout/* CHUNK_STORE_DIR */.QN}/[0-9a-f]{64}\\.bin$`);
/** An archive that is not a snapshot's; the message (a phrase, "entry 'x' is …") names the entry. */
class SnapshotArchiveError extends Error {
    constructor(problem) {
        super(problem);
        this.name = 'SnapshotArchiveError';
    }
}
class ArchiveEntryError extends SnapshotArchiveError {
    constructor(entry, problem) {
        super(`entry '${(0,untrusted_text/* inert */.tJ)(entry, 200)}' ${problem}`);
    }
}
/**
 * The archive of `files` (paths relative to `dir`, with '/'), small files first so that an extraction knows
 * from metadata.json how large each memory must be before its bytes arrive. A file outside the snapshot
 * layout is an error: the directory was verified, so it would be a bug.
 */
function packSnapshotDir(dir, files) {
    const rank = (file) => {
        const small = SMALL_FILES.indexOf(file);
        if (small >= 0)
            return small;
        if (CHUNK_ENTRY.test(file))
            return SMALL_FILES.length;
        const blob = layout/* BLOB_KINDS */.yD.findIndex(kind => (0,layout/* blobFile */.c7)(kind) === file);
        if (blob >= 0)
            return SMALL_FILES.length + 1 + blob;
        throw new ic_errors/* ActionError */.lZ(`${(0,external_node_path_.join)(dir, file)} is not a file of a snapshot directory; it cannot be archived.`);
    };
    const ordered = [...files].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
    const pack = tar_stream.pack();
    const write = async () => {
        let chunkDir = false;
        for (const file of ordered) {
            if (!chunkDir && CHUNK_ENTRY.test(file)) {
                chunkDir = true;
                await new Promise((resolve, reject) => pack.entry({ name: `${layout/* CHUNK_STORE_DIR */.QN}/`, type: 'directory', mode: 0o755 }, e => e ? reject(e) : resolve()));
            }
            const path = (0,external_node_path_.join)(dir, file);
            const { size, mtime } = await (0,promises_.stat)(path);
            const entry = pack.entry({ name: file, type: 'file', size, mode: 0o644, mtime });
            await (0,external_node_stream_promises_.pipeline)((0,external_node_fs_.createReadStream)(path), entry);
        }
        pack.finalize();
    };
    write().catch(error => pack.destroy(error));
    // tar-stream's streams are streamx streams; Readable.from makes a node Readable of its async iterator.
    return external_node_stream_.Readable.from(pack, { objectMode: false });
}
/**
 * Passes the tar stream through unchanged, refusing at its header every entry that is not a regular file or a
 * directory: links, devices, and also pax and GNU long-name records, which tar-stream would buffer whole in
 * memory (extract.js `_longHeader`) before any entry is seen. This action's archives never need them: every
 * name of the layout is shorter than 100 bytes.
 */
class TarHeaderGuard extends external_node_stream_.Transform {
    skip = 0;
    header = Buffer.alloc(0);
    _transform(chunk, _encoding, callback) {
        try {
            let offset = 0;
            while (offset < chunk.length) {
                if (this.skip > 0) {
                    const n = Math.min(this.skip, chunk.length - offset);
                    this.skip -= n;
                    offset += n;
                    continue;
                }
                const part = chunk.subarray(offset, offset + 512 - this.header.length);
                this.header = Buffer.concat([this.header, part]);
                offset += part.length;
                if (this.header.length === 512) {
                    this.skip = this.dataAfter(this.header);
                    this.header = Buffer.alloc(0);
                }
            }
            callback(null, chunk);
        }
        catch (error) {
            callback(error);
        }
    }
    /** Bytes of entry data (padded to 512) that follow this header block. */
    dataAfter(block) {
        const header = headers.decode(block, 'utf-8', false);
        if (header === null)
            return 0; // a zero block: the end of the archive
        if (header.type !== 'file' && header.type !== 'directory')
            throw new ArchiveEntryError(header.name, `is a ${header.type}, not a regular file or a directory`);
        if (header.type === 'directory') {
            if (header.size !== 0)
                throw new ArchiveEntryError(header.name, `is a directory with ${header.size} bytes`);
            return 0;
        }
        return Math.ceil(header.size / 512) * 512;
    }
}
/**
 * Extracts the snapshot archive `archive` into the empty directory `dir`. Every entry must be a file of the
 * snapshot layout (see layout.ts), once; metadata.json, manifest.json and SHA256SUMS are bounded, the
 * memories must have the sizes metadata.json gives (so it must come before them), chunks must be listed in
 * it; metadata.json and manifest.json must be there. Returns the files written, relative to `dir`.
 */
async function extractSnapshotArchive(archive, dir) {
    if ((await (0,promises_.readdir)(dir)).length > 0)
        throw new ic_errors/* ActionError */.lZ(`${dir} is not empty; an archive is only extracted into an empty directory.`);
    const extract = tar_stream.extract();
    const feeding = (0,external_node_stream_promises_.pipeline)(archive, new TarHeaderGuard(), extract);
    // Handled here at once: it may reject while the loop below waits, and is read again in the catch.
    const fed = feeding.then(() => undefined, (error) => error);
    const written = new Set();
    let metadata;
    try {
        for await (const entry of extract) {
            const { name, type, size = 0 } = entry.header;
            const fail = (problem) => {
                throw new ArchiveEntryError(name, problem);
            };
            if (type !== 'file' && type !== 'directory')
                fail(`is a ${type}, not a regular file or a directory`);
            const path = type === 'directory' ? name.replace(/\/$/, '') : name;
            if (written.has(path))
                fail('appears twice');
            if (type === 'directory') {
                if (path !== layout/* CHUNK_STORE_DIR */.QN)
                    fail('is not a directory of a snapshot');
                await (0,promises_.mkdir)((0,external_node_path_.join)(dir, path), { recursive: true });
                entry.resume();
            }
            else if (SMALL_FILES.includes(path)) {
                if (size > SMALL_FILE_MAX_BYTES)
                    fail(`has ${size} bytes; at most ${SMALL_FILE_MAX_BYTES} are accepted`);
                const chunks = [];
                for await (const chunk of entry)
                    chunks.push(chunk);
                const bytes = Buffer.concat(chunks);
                if (path === layout/* METADATA_FILE */.VR) {
                    try {
                        metadata = (0,snapshot_dir_metadata/* parseMetadataJson */.ro)(bytes.toString('utf8'));
                    }
                    catch (error) {
                        fail(`is not a snapshot's metadata: ${(0,untrusted_text/* inert */.tJ)(error.message, 300)}`);
                    }
                }
                await (0,promises_.writeFile)((0,external_node_path_.join)(dir, path), bytes, { flag: 'wx' });
            }
            else {
                const kind = layout/* BLOB_KINDS */.yD.find(k => (0,layout/* blobFile */.c7)(k) === path);
                if (kind === undefined && !CHUNK_ENTRY.test(path))
                    fail('is not a file of a snapshot directory');
                if (metadata === undefined)
                    fail(`comes before ${layout/* METADATA_FILE */.VR}, which gives its size`);
                const known = metadata;
                if (kind !== undefined) {
                    const expected = (0,layout/* blobSize */.LE)(known, kind);
                    if (BigInt(size) !== expected)
                        fail(`has ${size} bytes, but ${layout/* METADATA_FILE */.VR} says ${expected}`);
                }
                else {
                    if (!known.wasmChunkStore.some(hash => (0,layout/* chunkFile */.E9)(hash) === path))
                        fail(`is not a chunk of this snapshot (${layout/* METADATA_FILE */.VR} does not list it)`);
                    if (size > CHUNK_MAX_BYTES)
                        fail(`has ${size} bytes; a chunk has at most ${CHUNK_MAX_BYTES}`);
                    await (0,promises_.mkdir)((0,external_node_path_.join)(dir, layout/* CHUNK_STORE_DIR */.QN), { recursive: true });
                }
                await (0,external_node_stream_promises_.pipeline)(entry, (0,external_node_fs_.createWriteStream)((0,external_node_path_.join)(dir, path), { flags: 'wx' }));
            }
            written.add(path);
        }
        await feeding;
    }
    catch (error) {
        extract.destroy();
        archive.destroy();
        // A payload that failed to decrypt explains whatever the extraction then saw.
        const feedingError = await fed;
        if (feedingError instanceof ic_errors/* ActionError */.lZ)
            throw feedingError;
        // The decryption's own errors (ActionError) say what happened; anything else is the archive's fault.
        if (error instanceof ic_errors/* ActionError */.lZ || error instanceof SnapshotArchiveError)
            throw error;
        // tar-stream reports a malformed archive with a plain Error; a file system error has a code.
        if (!(error instanceof Error) || error.constructor !== Error || 'code' in error)
            throw error;
        throw new SnapshotArchiveError(`is not a tar archive: ${(0,untrusted_text/* inert */.tJ)(error?.message ?? String(error), 300)}`);
    }
    for (const required of [layout/* METADATA_FILE */.VR, layout/* MANIFEST_FILE */.h1])
        if (!written.has(required))
            throw new SnapshotArchiveError(`holds no ${required}`);
    return [...written].filter(path => path !== layout/* CHUNK_STORE_DIR */.QN);
}

;// CONCATENATED MODULE: ./src/github/encrypted-artifact.ts
// What an artifact holds under `encrypt-with`: exactly one file, snapshot.tar.age, the age encryption of the
// snapshot directory's tar archive. Written from the directory and read back into an empty one, streaming.









/** Writes `files` (relative to `dir`) into `target`/snapshot.tar.age; returns that file's path. */
async function writeEncryptedArchive(dir, files, target, passphrase) {
    const out = (0,external_node_path_.join)(target, ENCRYPTED_ARCHIVE_FILE);
    await (0,external_node_stream_promises_.pipeline)(await encryptingStream(packSnapshotDir(dir, files), passphrase), (0,external_node_fs_.createWriteStream)(out));
    return out;
}
/** Every file and directory below `dir`, relative, with '/'. */
async function entriesBelow(dir) {
    const entries = await (0,promises_.readdir)(dir, { recursive: true, withFileTypes: true });
    return entries.map(entry => (0,external_node_path_.relative)(dir, (0,external_node_path_.join)(entry.parentPath, entry.name)).split('\\').join('/')).sort();
}
/**
 * How a downloaded artifact in `dir` is stored: 'encrypted' when it holds snapshot.tar.age (and then nothing
 * else), 'plain' otherwise. An artifact of the earlier per-file format is refused.
 */
async function artifactFormat(dir, artifactName) {
    const entries = await entriesBelow(dir);
    if (entries.includes(EARLIER_FORMAT_FILE))
        throw new ic_errors/* ActionError */.lZ(`The artifact '${artifactName}' was encrypted by an earlier format of this action (it holds ${EARLIER_FORMAT_FILE}); download the snapshot again.`);
    if (!entries.includes(ENCRYPTED_ARCHIVE_FILE))
        return 'plain';
    const other = entries.find(entry => entry !== ENCRYPTED_ARCHIVE_FILE);
    if (other !== undefined)
        throw new ic_errors/* ActionError */.lZ(`The encrypted artifact '${artifactName}' holds '${(0,untrusted_text/* inert */.tJ)(other, 200)}' beside ${ENCRYPTED_ARCHIVE_FILE}, and an encrypted artifact holds nothing else; nothing was decrypted.`);
    return 'encrypted';
}
/**
 * Decrypts `dir`/snapshot.tar.age and extracts it into `dir`, which then holds only the snapshot's files.
 * The archive is first moved out, so that the extraction starts in an empty directory. On any failure `dir`
 * is left empty. Returns the number of files extracted.
 */
async function openEncryptedArchive(dir, passphrase, artifactName) {
    const aside = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_path_.dirname)(dir), `.${(0,external_node_path_.basename)(dir)}-encrypted-`));
    const archive = (0,external_node_path_.join)(aside, ENCRYPTED_ARCHIVE_FILE);
    await (0,promises_.rename)((0,external_node_path_.join)(dir, ENCRYPTED_ARCHIVE_FILE), archive);
    try {
        const plain = await decryptingStream((0,external_node_fs_.createReadStream)(archive), passphrase, artifactName);
        const files = await extractSnapshotArchive(plain, dir);
        return files.length;
    }
    catch (error) {
        for (const entry of await (0,promises_.readdir)(dir))
            await (0,promises_.rm)((0,external_node_path_.join)(dir, entry), { recursive: true, force: true });
        if (error instanceof SnapshotArchiveError)
            throw new ic_errors/* ActionError */.lZ(`The encrypted artifact '${artifactName}' is not a snapshot of this action: its archive ${error.message}; nothing was uploaded.`);
        if (error instanceof errors/* InputError */.d || error instanceof ic_errors/* ActionError */.lZ)
            throw error;
        throw new ic_errors/* ActionError */.lZ(`Could not decrypt the artifact '${artifactName}': ${error?.message ?? error}`);
    }
    finally {
        await (0,promises_.rm)(aside, { recursive: true, force: true });
    }
}

// EXTERNAL MODULE: ./src/github/compression.ts
var github_compression = __webpack_require__(5117);
;// CONCATENATED MODULE: ./src/github/artifact.ts
// Snapshot directories kept as workflow artifacts, through @actions/artifact.











// Progress and lock files belong to an unfinished transfer on this machine, not to the snapshot.
const TRANSIENT_FILES = /^\.(download_progress|upload_progress)\.json(\.tmp)?$|^\.lock$/;
async function filesBelow(dir) {
    const entries = await (0,promises_.readdir)(dir, { recursive: true, withFileTypes: true });
    return entries
        .filter(entry => entry.isFile() && !TRANSIENT_FILES.test(entry.name))
        .map(entry => (0,external_node_path_.join)(entry.parentPath, entry.name))
        .sort();
}
async function keepAsArtifact(name, dir, options) {
    const plain = await filesBelow(dir);
    const names = plain.map(f => (0,external_node_path_.relative)(dir, f).split('\\').join('/'));
    core/* info */.pq(`Uploading ${plain.length} files as artifact '${name}'${options.encryptWith ? `, encrypted into ${ENCRYPTED_ARCHIVE_FILE}` : ''}: ${names.join(', ')}`);
    let root = dir;
    let files = plain;
    try {
        if (options.encryptWith) {
            root = await (0,promises_.mkdtemp)((0,external_node_path_.join)(process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), 'encrypted-artifact-'));
            files = [await writeEncryptedArchive(dir, names, root, options.encryptWith)];
        }
        const compression = await (0,github_compression/* chooseCompressionLevel */.Sk)(options.compressionLevel, files);
        core/* info */.pq(compressionLine(compression));
        const result = await new lib_artifact/* DefaultArtifactClient */.t9().uploadArtifact(name, files, root, {
            compressionLevel: compression.level,
            ...(options.retentionDays ? { retentionDays: options.retentionDays } : {})
        });
        if (result.id === undefined)
            throw new ic_errors/* ActionError */.lZ(`The artifact '${name}' was not stored (the service returned no id).`);
        return { id: result.id, digest: result.digest, size: result.size ?? 0 };
    }
    catch (error) {
        if (error instanceof ic_errors/* ActionError */.lZ)
            throw error;
        throw new ic_errors/* ActionError */.lZ(`Could not store the artifact '${name}': ${(0,ic_errors/* describe */.q0)(error)}`);
    }
    finally {
        if (root !== dir)
            await (0,promises_.rm)(root, { recursive: true, force: true });
    }
}
function compressionLine(choice) {
    if (choice.sampledRatio === undefined)
        return `Zip compression: level ${choice.level} (${constants/* Inputs */.G0.CompressionLevel})`;
    const percent = `${(choice.sampledRatio * 100).toFixed(0)} %`;
    const sample = `${(choice.sampledBytes / 1e6).toFixed(1)} MB sampled`;
    return choice.level === 0
        ? `Zip compression: none, the files are stored (auto: deflate kept ${percent} of the bytes, ${sample})`
        : `Zip compression: level ${choice.level} (auto: deflate kept ${percent} of the bytes, ${sample})`;
}
/**
 * Fetches an artifact of this run, or of another run, into `dir`, decrypting it with `encryptWith`; a digest
 * mismatch is a failure, and so is an encrypted artifact without the passphrase or a plain one with it.
 */
async function fetchArtifact(name, dir, from, encryptWith) {
    const client = new lib_artifact/* DefaultArtifactClient */.t9();
    const find = from
        ? {
            findBy: {
                token: from.token,
                workflowRunId: from.runId,
                repositoryOwner: from.owner,
                repositoryName: from.repo
            }
        }
        : {};
    const where = from ? `run ${from.runId} of ${from.owner}/${from.repo}` : 'this run';
    let artifact;
    try {
        ;
        ({ artifact } = await client.getArtifact(name, find));
    }
    catch (error) {
        throw new ic_errors/* ActionError */.lZ(`No artifact '${name}' in ${where}: ${(0,ic_errors/* describe */.q0)(error)}`);
    }
    core/* info */.pq(`Downloading artifact '${name}' (id ${artifact.id}, ${artifact.size} bytes) from ${where}`);
    // The digest is only compared when it is passed in; without one, SHA256SUMS is the only check left.
    if (!artifact.digest)
        core/* info */.pq(`The artifact '${name}' has no recorded digest; its files are checked against SHA256SUMS only`);
    const downloaded = await client
        .downloadArtifact(artifact.id, {
        path: dir,
        ...(artifact.digest ? { expectedHash: artifact.digest } : {}),
        ...find
    })
        .catch(error => {
        throw new ic_errors/* ActionError */.lZ(`Could not download the artifact '${name}' from ${where}: ${(0,ic_errors/* describe */.q0)(error)}`);
    });
    if (downloaded.digestMismatch) {
        throw new ic_errors/* ActionError */.lZ(`The artifact '${name}' from ${where} does not match its recorded digest ${artifact.digest ?? ''}; it was changed or damaged in storage, so nothing was uploaded.`);
    }
    const encrypted = (await artifactFormat(dir, name)) === 'encrypted';
    if (encrypted && !encryptWith) {
        throw new errors/* InputError */.d(constants/* Inputs */.G0.EncryptWith, `is required: artifact '${name}' is encrypted`);
    }
    if (!encrypted && encryptWith) {
        throw new errors/* InputError */.d(constants/* Inputs */.G0.EncryptWith, `is given, but artifact '${name}' is not encrypted`);
    }
    if (encrypted) {
        const count = await openEncryptedArchive(dir, encryptWith, name);
        core/* info */.pq(`Decrypted artifact '${name}': ${count} files from ${ENCRYPTED_ARCHIVE_FILE}`);
    }
    return { id: artifact.id, digest: artifact.digest, size: artifact.size };
}


/***/ }),

/***/ 95616:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   M: () => (/* binding */ checkArtifactsSupported)
/* harmony export */ });
/* unused harmony export isGhes */
/* harmony import */ var _ic_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(37649);
// GitHub Enterprise Server has no artifact service that @actions/artifact v2 and later can use (its README:
// "not currently supported on GHES"; every client call throws GHESNotSupportedError). The artifact modes check
// this first, so that on GHES they fail before a canister is stopped or a byte is read from the IC, not after
// a whole download.

/**
 * @actions/artifact's own rule (lib/internal/shared/config.js, `isGhes`): any server but github.com, a GHE.com
 * data-residency host (*.ghe.com) or a *.localhost development host.
 */
function isGhes(serverUrl = process.env.GITHUB_SERVER_URL || 'https://github.com') {
    let hostname;
    try {
        hostname = new URL(serverUrl).hostname.trimEnd().toUpperCase();
    }
    catch {
        // @actions/artifact would throw on such a URL too; the runner always sets a valid one.
        return false;
    }
    return hostname !== 'GITHUB.COM' && !hostname.endsWith('.GHE.COM') && !hostname.endsWith('.LOCALHOST');
}
/** Throws one line when workflow artifacts are not available on this server. */
function checkArtifactsSupported(mode, alternative) {
    if (!isGhes())
        return;
    throw new _ic_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ(`${mode} needs workflow artifacts, which @actions/artifact v2 and later do not support on GitHub Enterprise Server; ${alternative}`);
}


/***/ }),

/***/ 9790:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  tz: () => (/* binding */ SLICE_SIZE),
  N: () => (/* binding */ SnapshotData),
  V0: () => (/* binding */ uploadSnapshotMetadata)
});

// EXTERNAL MODULE: ./src/ic/certified-call.ts
var certified_call = __webpack_require__(81390);
// EXTERNAL MODULE: ./src/ic/errors.ts
var errors = __webpack_require__(37649);
// EXTERNAL MODULE: ./src/ic/management.ts
var management = __webpack_require__(32721);
// EXTERNAL MODULE: ./src/ic/retry.ts
var retry = __webpack_require__(67546);
// EXTERNAL MODULE: ./node_modules/@icp-sdk/core/lib/esm/candid/idl.js + 1 modules
var idl = __webpack_require__(50642);
;// CONCATENATED MODULE: ./src/ic/snapshot-data-candid.ts
// Candid of the two snapshot data methods (ic.did), encoded and decoded here because their calls go through
// certified-call.ts rather than IcManagementCanister's actor.

const Range = idl.Record({ size: idl.Nat64, offset: idl.Nat64 });
const Offset = idl.Record({ offset: idl.Nat64 });
const ReadArgs = idl.Record({
    canister_id: idl.Principal,
    snapshot_id: idl.Vec(idl.Nat8),
    kind: idl.Variant({
        wasm_module: Range,
        wasm_memory: Range,
        stable_memory: Range,
        wasm_chunk: idl.Record({ hash: idl.Vec(idl.Nat8) })
    })
});
const ReadResult = idl.Record({ chunk: idl.Vec(idl.Nat8) });
const UploadArgs = idl.Record({
    canister_id: idl.Principal,
    snapshot_id: idl.Vec(idl.Nat8),
    kind: idl.Variant({
        wasm_module: Offset,
        wasm_memory: Offset,
        stable_memory: Offset,
        wasm_chunk: idl.Null
    }),
    chunk: idl.Vec(idl.Nat8)
});
function encodeReadArgs(canisterId, snapshotId, target) {
    const kind = 'chunkHash' in target
        ? { wasm_chunk: { hash: target.chunkHash } }
        : { [target.blob]: { offset: BigInt(target.offset), size: BigInt(target.size) } };
    return new Uint8Array(idl.encode([ReadArgs], [{ canister_id: canisterId, snapshot_id: snapshotId, kind }]));
}
// `record { chunk: blob }` as a whole message, up to the blob's length: the type table in the order
// @icp-sdk/core writes it (vec nat8, then the record) and in the order Rust's candid crate writes it (the
// record, then its field's type), followed by one argument of the record's type. RECORD_ENTRY is the
// record's entry, `record` and the hash of `chunk`, without the index of the field's type.
const RECORD_ENTRY = Buffer.from(idl.encode([ReadResult], [{ chunk: new Uint8Array() }])).subarray(4 + 1 + 2, -4);
const READ_RESULT_HEADERS = [
    Buffer.concat([Buffer.from('DIDL\x02\x6d\x7b', 'latin1'), RECORD_ENTRY, Buffer.from([0x00, 0x01, 0x01])]),
    Buffer.concat([
        Buffer.from('DIDL\x02', 'latin1'),
        RECORD_ENTRY,
        Buffer.from([0x01, 0x6d, 0x7b, 0x01, 0x00])
    ])
];
/**
 * The chunk of a read_canister_snapshot_data reply. A 2 MB reply in one of the two usual encodings is read
 * in place (IDL.decode reads a blob byte by byte, and copies it); any other encoding goes to IDL.decode,
 * which checks it in full.
 */
function decodeReadResult(reply) {
    const chunk = chunkInPlace(reply);
    if (chunk)
        return chunk;
    const [decoded] = idl.decode([ReadResult], reply);
    return decoded.chunk instanceof Uint8Array ? decoded.chunk : new Uint8Array(decoded.chunk);
}
function chunkInPlace(reply) {
    const bytes = Buffer.from(reply.buffer, reply.byteOffset, reply.byteLength);
    const header = READ_RESULT_HEADERS.find(h => bytes.subarray(0, h.length).equals(h));
    if (!header)
        return undefined;
    // The blob's length, unsigned LEB128: at most 5 bytes for anything under 2^35.
    let length = 0;
    let at = header.length;
    for (let shift = 0;; shift += 7) {
        if (at >= bytes.length || shift > 28)
            return undefined;
        const byte = bytes[at++];
        length += (byte & 0x7f) * 2 ** shift;
        if (byte < 0x80)
            break;
    }
    // The blob must end the message exactly: trailing bytes are for IDL.decode to refuse.
    return at + length === bytes.length ? reply.subarray(at) : undefined;
}
function encodeUploadArgs(canisterId, snapshotId, target, chunk) {
    const kind = 'chunk' in target ? { wasm_chunk: null } : { [target.blob]: { offset: BigInt(target.offset) } };
    return new Uint8Array(idl.encode([UploadArgs], [{ canister_id: canisterId, snapshot_id: snapshotId, kind, chunk }]));
}

// EXTERNAL MODULE: ./src/ic/snapshot-id.ts
var ic_snapshot_id = __webpack_require__(3494);
;// CONCATENATED MODULE: ./src/ic/snapshot-data.ts






/**
 * Bytes per read and per upload call. Reads may not exceed 2,000,000 (interface spec; replica
 * MAX_SLICE_SIZE_BYTES), and an upload of that many bytes plus its envelope stays under the 2 MiB ingress
 * limit; icp-cli and dfx use the same size both ways (MAX_CHUNK_SIZE).
 */
const SLICE_SIZE = Number(management/* READ_SLICE */.e);
/** The data calls on one snapshot of one canister. */
class SnapshotData {
    ic;
    canisterId;
    snapshotId;
    id;
    /** Told of each data call that failed and is tried again. */
    onRetry;
    constructor(ic, canisterId, snapshotId) {
        this.ic = ic;
        this.canisterId = canisterId;
        this.snapshotId = snapshotId;
        this.id = (0,ic_snapshot_id/* snapshotIdFromHex */.Nm)(snapshotId);
    }
    async readMetadata() {
        return (0,retry/* withRetry */.b)(`read_canister_snapshot_metadata of snapshot ${this.snapshotId}`, () => this.ic.management.readCanisterSnapshotMetadata({ canisterId: this.canisterId, snapshotId: this.id }));
    }
    /** `size` bytes of a memory from `offset`; at most SLICE_SIZE. */
    async readSlice(kind, offset, size) {
        const chunk = await this.read(`read_canister_snapshot_data ${kind} at ${offset}`, {
            blob: kind,
            offset,
            size
        });
        if (chunk.length !== size)
            throw new errors/* ActionError */.lZ(`read_canister_snapshot_data ${kind} at ${offset} returned ${chunk.length} bytes instead of ${size}`);
        return chunk;
    }
    async readChunk(hash) {
        const hex = Buffer.from(hash).toString('hex');
        return this.read(`read_canister_snapshot_data wasm_chunk ${hex}`, { chunkHash: hash });
    }
    // Uploading the same bytes at the same offset twice leaves the snapshot as one upload does, and a chunk is
    // stored under its hash: so a call whose reply was lost is simply sent again.
    async uploadSlice(kind, offset, bytes) {
        await this.upload(`upload_canister_snapshot_data ${kind} at ${offset}`, { blob: kind, offset }, bytes);
    }
    async uploadChunk(bytes) {
        await this.upload(`upload_canister_snapshot_data wasm_chunk of ${bytes.length} bytes`, { chunk: true }, bytes);
    }
    async read(operation, target) {
        const arg = encodeReadArgs(this.canisterId, this.id, target);
        const reply = await (0,retry/* withRetry */.b)(operation, () => (0,certified_call/* certifiedManagementCall */.n)(this.ic, this.canisterId, 'read_canister_snapshot_data', arg), undefined, this.onRetry);
        return decodeReadResult(reply);
    }
    async upload(operation, target, bytes) {
        const arg = encodeUploadArgs(this.canisterId, this.id, target, bytes);
        await (0,retry/* withRetry */.b)(operation, () => (0,certified_call/* certifiedManagementCall */.n)(this.ic, this.canisterId, 'upload_canister_snapshot_data', arg), undefined, this.onRetry);
    }
}
/**
 * Creates a snapshot from metadata (its memories zero-filled until uploaded) and returns its id, replacing
 * `replace` if given. Not idempotent: a retry after a lost reply would create a second snapshot (or find the
 * replaced one gone). So a retry first looks for a snapshot that appeared since the first attempt.
 */
async function uploadSnapshotMetadata(ic, canisterId, metadata, replace) {
    const listIds = async () => new Set((await (0,retry/* withRetry */.b)(`list_canister_snapshots of ${canisterId.toText()}`, () => ic.management.listCanisterSnapshots({ canisterId }))).map(s => (0,ic_snapshot_id/* snapshotIdToHex */.yF)(new Uint8Array(s.id))));
    const before = await listIds();
    let attempt = 0;
    return (0,retry/* withRetry */.b)(`upload_canister_snapshot_metadata to ${canisterId.toText()}`, async () => {
        if (attempt++ > 0) {
            const arrived = [...(await listIds())].filter(id => !before.has(id));
            if (arrived.length > 0)
                return arrived[arrived.length - 1];
        }
        const { snapshot_id } = await ic.management.uploadCanisterSnapshotMetadata({
            canisterId,
            metadata,
            ...(replace ? { snapshotId: (0,ic_snapshot_id/* snapshotIdFromHex */.Nm)(replace) } : {})
        });
        return (0,ic_snapshot_id/* snapshotIdToHex */.yF)(new Uint8Array(snapshot_id));
    });
}


/***/ }),

/***/ 84506:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Lm: () => (/* binding */ parseSha256Sums),
/* harmony export */   Ng: () => (/* binding */ parseManifest),
/* harmony export */   gD: () => (/* binding */ writeChecksums),
/* harmony export */   i1: () => (/* binding */ ChecksumFileError)
/* harmony export */ });
/* unused harmony exports SHA256_HEX, formatSha256Sums, MANIFEST_FORMAT, buildManifest, encodeManifest */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _icp_sdk_core_principal__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(40826);
/* harmony import */ var _files_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9809);
/* harmony import */ var _json_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(86346);
/* harmony import */ var _json_fields_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(79950);
/* harmony import */ var _layout_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(39526);
// What this action adds to a snapshot directory so that it can be checked byte for byte before an upload:
// SHA256SUMS (`sha256sum -c SHA256SUMS` checks it too) and manifest.json (what the snapshot is and where it came
// from). icp-cli ignores both.








const SHA256_HEX = /^[0-9a-f]{64}$/;
// ---- SHA256SUMS ----
/** sha256sum's text format: `<hex>  <path>` per line, sorted by path, ending with a newline. */
function formatSha256Sums(files) {
    return [...files]
        .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
        .map(file => `${file.sha256}  ${file.path}\n`)
        .join('');
}
class ChecksumFileError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ChecksumFileError';
    }
}
/** Path → sha256. Accepts sha256sum's binary marker (`<hex> *<path>`); refuses paths outside the directory. */
function parseSha256Sums(text) {
    const sums = new Map();
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '')
        lines.pop();
    lines.forEach((line, index) => {
        const match = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line.replace(/\r$/, ''));
        if (!match)
            throw new ChecksumFileError(`line ${index + 1} is not '<sha256>  <path>'`);
        const [, hex, path] = match;
        checkRelativePath(path, `line ${index + 1}`);
        if (sums.has(path))
            throw new ChecksumFileError(`line ${index + 1} lists ${path} a second time`);
        sums.set(path, hex.toLowerCase());
    });
    return sums;
}
function checkRelativePath(path, where) {
    if (path.startsWith('/') ||
        path.includes('\\') ||
        path.split('/').some(part => part === '..' || part === ''))
        throw new ChecksumFileError(`${where} names ${JSON.stringify(path)}, which is not a path inside the directory`);
}
// ---- manifest.json ----
const MANIFEST_FORMAT = 1;
function buildManifest(snapshot, files, env = process.env) {
    const { metadata } = snapshot;
    const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : 1));
    const module = files.find(file => file.path === 'wasm_module.bin');
    const chunkBytes = files
        .filter(file => file.path.startsWith('wasm_chunk_store/'))
        .reduce((sum, file) => sum + file.size, 0);
    const sizes = {
        wasm_module: Number(metadata.wasmModuleSize),
        wasm_memory: Number(metadata.wasmMemorySize),
        stable_memory: Number(metadata.stableMemorySize),
        wasm_chunk_store: chunkBytes
    };
    const source = {
        ...(env.GITHUB_REPOSITORY ? { repository: env.GITHUB_REPOSITORY } : {}),
        ...(env.GITHUB_SHA ? { commit: env.GITHUB_SHA } : {}),
        ...(env.GITHUB_RUN_ID ? { run_id: env.GITHUB_RUN_ID } : {})
    };
    return {
        format: MANIFEST_FORMAT,
        canister: snapshot.canister,
        snapshot_id: snapshot.snapshotId,
        module_hash: module?.sha256 ?? '',
        taken_at: new Date(Number(metadata.takenAtTimestamp / 1000000n)).toISOString(),
        taken_at_ns: metadata.takenAtTimestamp.toString(),
        sizes,
        total_bytes: sizes.wasm_module + sizes.wasm_memory + sizes.stable_memory + sizes.wasm_chunk_store,
        files: Object.fromEntries(sorted.map(file => [file.path, { size: file.size, sha256: file.sha256 }])),
        ...(Object.keys(source).length > 0 ? { source } : {})
    };
}
function encodeManifest(manifest) {
    return `${(0,_json_js__WEBPACK_IMPORTED_MODULE_4__/* .prettyJson */ .D_)(manifest)}\n`;
}
// Every field is text from outside (an artifact can come from a fork's run), so each is parsed into the
// shape it must have; nothing of the file reaches the log or the summary unchecked.
const SNAPSHOT_ID_HEX = /^([0-9a-f]{2}){9,37}$/;
const REPOSITORY = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;
const COMMIT = /^([0-9a-f]{40}|[0-9a-f]{64})$/;
const RUN_ID = /^[1-9][0-9]{0,19}$/;
const NANOSECONDS = /^[0-9]{1,20}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const SIZE_KEYS = ['wasm_module', 'wasm_memory', 'stable_memory', 'wasm_chunk_store'];
function principalField(value, field) {
    const text = (0,_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .stringField */ .OM)(value, field, /^[a-z0-9-]{1,63}$/);
    try {
        // fromText checks the CRC; toText gives the one canonical spelling.
        if (_icp_sdk_core_principal__WEBPACK_IMPORTED_MODULE_7__/* .Principal */ .p.fromText(text).toText() === text)
            return text;
    }
    catch {
        // Reported below.
    }
    throw new _json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .JsonFieldError */ .ly(field, `is not a principal in its text form`);
}
/** Reads manifest.json strictly: each field in its shape, unknown fields dropped. */
function parseManifest(text) {
    let json;
    try {
        json = (0,_json_js__WEBPACK_IMPORTED_MODULE_4__/* .parseJson */ .qF)(text);
    }
    catch (error) {
        throw new ChecksumFileError(error.message);
    }
    try {
        if (!(0,_json_js__WEBPACK_IMPORTED_MODULE_4__/* .isJsonObject */ .OW)(json))
            throw new _json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .JsonFieldError */ .ly('', 'is not an object');
        const format = (0,_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .safeU64Field */ .Fr)(json.format, 'format');
        if (format !== MANIFEST_FORMAT)
            throw new _json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .JsonFieldError */ .ly('format', `is ${format}; this version of the action reads format ${MANIFEST_FORMAT}`);
        if (!(0,_json_js__WEBPACK_IMPORTED_MODULE_4__/* .isJsonObject */ .OW)(json.files))
            throw new _json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .JsonFieldError */ .ly('files', 'is not an object');
        const files = {};
        for (const [path, entry] of Object.entries(json.files)) {
            checkRelativePath(path, 'files');
            if (!(0,_json_js__WEBPACK_IMPORTED_MODULE_4__/* .isJsonObject */ .OW)(entry))
                throw new _json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .JsonFieldError */ .ly(`files.${path}`, 'is not an object');
            files[path] = {
                size: (0,_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .safeU64Field */ .Fr)(entry.size, `files.${path}.size`),
                sha256: (0,_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .stringField */ .OM)(entry.sha256, `files.${path}.sha256`, SHA256_HEX)
            };
        }
        if (!(0,_json_js__WEBPACK_IMPORTED_MODULE_4__/* .isJsonObject */ .OW)(json.sizes))
            throw new _json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .JsonFieldError */ .ly('sizes', 'is not an object');
        const sizes = json.sizes;
        const manifest = {
            format: MANIFEST_FORMAT,
            canister: principalField(json.canister, 'canister'),
            snapshot_id: (0,_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .stringField */ .OM)(json.snapshot_id, 'snapshot_id', SNAPSHOT_ID_HEX),
            module_hash: (0,_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .stringField */ .OM)(json.module_hash, 'module_hash', /^([0-9a-f]{64})?$/),
            taken_at: (0,_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .stringField */ .OM)(json.taken_at, 'taken_at', ISO_TIME),
            taken_at_ns: (0,_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .stringField */ .OM)(json.taken_at_ns, 'taken_at_ns', NANOSECONDS),
            sizes: Object.fromEntries(SIZE_KEYS.map(key => [key, (0,_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .safeU64Field */ .Fr)(sizes[key], `sizes.${key}`)])),
            total_bytes: (0,_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .safeU64Field */ .Fr)(json.total_bytes, 'total_bytes'),
            files
        };
        if (json.source !== undefined) {
            const source = (0,_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .objectField */ .qV)(json.source, 'source', ['repository', 'commit', 'run_id'], []);
            manifest.source = {
                ...(source.repository !== undefined
                    ? { repository: (0,_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .stringField */ .OM)(source.repository, 'source.repository', REPOSITORY) }
                    : {}),
                ...(source.commit !== undefined
                    ? { commit: (0,_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .stringField */ .OM)(source.commit, 'source.commit', COMMIT) }
                    : {}),
                ...(source.run_id !== undefined
                    ? { run_id: (0,_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .stringField */ .OM)(source.run_id, 'source.run_id', RUN_ID) }
                    : {})
            };
        }
        return manifest;
    }
    catch (error) {
        if (error instanceof _json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .JsonFieldError */ .ly)
            throw new ChecksumFileError(error.message);
        throw error;
    }
}
/**
 * Hashes every file of the snapshot in `dir` and writes manifest.json, then SHA256SUMS (which lists the
 * manifest too). Returns the snapshot's files, without the two it wrote.
 */
async function writeChecksums(dir, snapshot) {
    const files = [];
    for (const path of (0,_layout_js__WEBPACK_IMPORTED_MODULE_6__/* .snapshotFilePaths */ .B6)(snapshot.metadata)) {
        const size = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, path)).then(s => s.size, () => undefined);
        if (size === undefined)
            continue;
        files.push({ path, ...(await (0,_files_js__WEBPACK_IMPORTED_MODULE_3__/* .sha256File */ .Q3)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, path))) });
    }
    const manifest = buildManifest(snapshot, files);
    const manifestText = encodeManifest(manifest);
    await (0,_files_js__WEBPACK_IMPORTED_MODULE_3__/* .writeFileAtomic */ .Zf)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, _layout_js__WEBPACK_IMPORTED_MODULE_6__/* .MANIFEST_FILE */ .h1), manifestText);
    const manifestFile = {
        path: _layout_js__WEBPACK_IMPORTED_MODULE_6__/* .MANIFEST_FILE */ .h1,
        sha256: (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(manifestText).digest('hex')
    };
    await (0,_files_js__WEBPACK_IMPORTED_MODULE_3__/* .writeFileAtomic */ .Zf)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, _layout_js__WEBPACK_IMPORTED_MODULE_6__/* .SHA256SUMS_FILE */ .dK), formatSha256Sums([...files, manifestFile]));
    return { files, manifest };
}


/***/ }),

/***/ 9809:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ge: () => (/* binding */ readTextIfPresent),
/* harmony export */   I: () => (/* binding */ kindOf),
/* harmony export */   Q3: () => (/* binding */ sha256File),
/* harmony export */   Zf: () => (/* binding */ writeFileAtomic),
/* harmony export */   h: () => (/* binding */ UnsafeFileError)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
// File operations the snapshot directory needs: whole-file hashing in bounded memory and atomic replacement.



/** A file that is not what a snapshot directory may hold; the message says what it is. */
class UnsafeFileError extends Error {
    constructor(message) {
        super(message);
        this.name = 'UnsafeFileError';
    }
}
/**
 * A small text file's content, or undefined when there is no such file. The file must be a regular file (a
 * symlink could point anywhere) of at most `maxBytes`, checked before a byte is read.
 */
async function readTextIfPresent(path, maxBytes) {
    let info;
    try {
        info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.lstat)(path);
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        throw error;
    }
    if (!info.isFile())
        throw new UnsafeFileError(`is ${kindOf(info)}, not a regular file`);
    if (info.size > maxBytes)
        throw new UnsafeFileError(`has ${info.size} bytes; a file of this kind has at most ${maxBytes}`);
    return (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readFile)(path, 'utf8');
}
function kindOf(info) {
    if (info.isSymbolicLink())
        return 'a symbolic link';
    if (info.isDirectory())
        return 'a directory';
    if (info.isFile())
        return 'a regular file';
    return 'a special file (device, socket or FIFO)';
}
/** Streams the file through sha256 a MiB at a time: memory stays flat whatever its size. */
async function sha256File(path) {
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    let size = 0;
    for await (const chunk of (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createReadStream)(path, { highWaterMark: 1 << 20 })) {
        size += chunk.length;
        hash.update(chunk);
    }
    return { size, sha256: hash.digest('hex') };
}
/**
 * Writes a temporary file, flushes it to disk and renames it over `path`, so a reader (or a rerun after a
 * crash) sees the old content or the new, never half of it: how icp-cli saves its download progress.
 */
async function writeFileAtomic(path, data) {
    // One writer per file at a time; icp-cli names its temporary `.download_progress.json.tmp` the same way.
    const tmp = `${path}.tmp`;
    const file = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.open)(tmp, 'w');
    try {
        await file.writeFile(data);
        await file.sync();
    }
    catch (error) {
        await file.close();
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rm)(tmp, { force: true });
        throw error;
    }
    await file.close();
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rename)(tmp, path);
}


/***/ }),

/***/ 79950:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fr: () => (/* binding */ safeU64Field),
/* harmony export */   OM: () => (/* binding */ stringField),
/* harmony export */   PI: () => (/* binding */ floatField),
/* harmony export */   e7: () => (/* binding */ arrayField),
/* harmony export */   fj: () => (/* binding */ join),
/* harmony export */   gY: () => (/* binding */ u64Field),
/* harmony export */   hQ: () => (/* binding */ booleanField),
/* harmony export */   kY: () => (/* binding */ variantField),
/* harmony export */   ly: () => (/* binding */ JsonFieldError),
/* harmony export */   nm: () => (/* binding */ integerField),
/* harmony export */   qV: () => (/* binding */ objectField)
/* harmony export */ });
/* unused harmony export U64_MAX */
/* harmony import */ var _json_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(86346);
// Strict reading of parsed JSON into typed fields: every problem names the field's path (`globals[2].f32`).

class JsonFieldError extends Error {
    field;
    problem;
    constructor(field, problem) {
        super(field ? `field '${field}' ${problem}` : `the document ${problem}`);
        this.field = field;
        this.problem = problem;
        this.name = 'JsonFieldError';
    }
}
function describeValue(value) {
    if (value === undefined)
        return 'is missing';
    if (value === null)
        return 'is null';
    if (value instanceof _json_js__WEBPACK_IMPORTED_MODULE_0__/* .JsonNumber */ .WP)
        return `is the number ${value.text}`;
    if (Array.isArray(value))
        return 'is an array';
    if (typeof value === 'object')
        return 'is an object';
    return `is ${JSON.stringify(value)}`;
}
/** An object with exactly these keys allowed; `required` ones must be present. */
function objectField(value, field, allowed, required = allowed) {
    if (!(0,_json_js__WEBPACK_IMPORTED_MODULE_0__/* .isJsonObject */ .OW)(value))
        throw new JsonFieldError(field, `${describeValue(value)}, expected an object`);
    for (const key of Object.keys(value)) {
        if (!allowed.includes(key))
            throw new JsonFieldError(join(field, key), 'is not a known field');
    }
    for (const key of required) {
        if (!Object.hasOwn(value, key))
            throw new JsonFieldError(join(field, key), 'is missing');
    }
    return value;
}
/** A single-key object `{"name": value}`: how serde writes an enum variant that carries a value. */
function variantField(value, field, variants) {
    if (!(0,_json_js__WEBPACK_IMPORTED_MODULE_0__/* .isJsonObject */ .OW)(value) || Object.keys(value).length !== 1)
        throw new JsonFieldError(field, `${describeValue(value)}, expected one of ${variants.join(', ')}`);
    const [name] = Object.keys(value);
    if (!variants.includes(name))
        throw new JsonFieldError(field, `has the unknown variant '${name}', expected one of ${variants.join(', ')}`);
    return [name, value[name]];
}
function arrayField(value, field) {
    if (!Array.isArray(value))
        throw new JsonFieldError(field, `${describeValue(value)}, expected an array`);
    return value;
}
function stringField(value, field, pattern) {
    if (typeof value !== 'string')
        throw new JsonFieldError(field, `${describeValue(value)}, expected a string`);
    if (pattern && !pattern.test(value))
        throw new JsonFieldError(field, `is ${JSON.stringify(value)}`);
    return value;
}
function booleanField(value, field) {
    if (typeof value !== 'boolean')
        throw new JsonFieldError(field, `${describeValue(value)}, expected true or false`);
    return value;
}
/** An integer within [min, max], written without fraction or exponent as serde writes integers. */
function integerField(value, field, min, max) {
    if (!(value instanceof _json_js__WEBPACK_IMPORTED_MODULE_0__/* .JsonNumber */ .WP) || !/^-?(0|[1-9]\d*)$/.test(value.text))
        throw new JsonFieldError(field, `${describeValue(value)}, expected an integer`);
    const n = BigInt(value.text);
    if (n < min || n > max)
        throw new JsonFieldError(field, `is ${value.text}, outside ${min}..${max}`);
    return n;
}
const U64_MAX = 2n ** 64n - 1n;
function u64Field(value, field) {
    return integerField(value, field, 0n, U64_MAX);
}
/** A u64 that a JS number holds exactly (file sizes and offsets: 2^53 bytes is 8 PiB). */
function safeU64Field(value, field) {
    return Number(integerField(value, field, 0n, BigInt(Number.MAX_SAFE_INTEGER)));
}
function floatField(value, field) {
    if (!(value instanceof _json_js__WEBPACK_IMPORTED_MODULE_0__/* .JsonNumber */ .WP))
        throw new JsonFieldError(field, `${describeValue(value)}, expected a number`);
    return Number(value.text);
}
function join(field, key) {
    if (typeof key === 'number')
        return `${field}[${key}]`;
    return field ? `${field}.${key}` : key;
}


/***/ }),

/***/ 86346:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D_: () => (/* binding */ prettyJson),
/* harmony export */   OW: () => (/* binding */ isJsonObject),
/* harmony export */   WP: () => (/* binding */ JsonNumber),
/* harmony export */   qF: () => (/* binding */ parseJson)
/* harmony export */ });
/* unused harmony export JsonSyntaxError */
// JSON as icp-cli reads and writes it: numbers keep every digit (u64 nanosecond timestamps exceed 2^53, which
// JSON.parse would round), and output is serde_json's `to_string_pretty` layout, byte for byte.
/** A JSON number exactly as written; read it with the accessor for the type the field has. */
class JsonNumber {
    text;
    constructor(text) {
        this.text = text;
    }
}
class JsonSyntaxError extends Error {
    constructor(message) {
        super(message);
        this.name = 'JsonSyntaxError';
    }
}
/**
 * serde_json's PrettyFormatter: two-space indent, `"key": value`, one array element per line, `[]` and `{}`
 * when empty, no trailing newline. Keys keep their insertion order (a Rust struct's field order); undefined
 * members are left out.
 */
function prettyJson(value, indent = '') {
    if (value === null)
        return 'null';
    if (typeof value === 'boolean')
        return value ? 'true' : 'false';
    if (typeof value === 'string')
        return JSON.stringify(value);
    if (typeof value === 'bigint')
        return value.toString();
    if (typeof value === 'number') {
        if (!Number.isSafeInteger(value))
            throw new RangeError(`prettyJson writes integers only, got ${value}`);
        return String(value);
    }
    if (value instanceof JsonNumber)
        return value.text;
    const inner = `${indent}  `;
    if (Array.isArray(value)) {
        if (value.length === 0)
            return '[]';
        return `[\n${value.map(item => inner + prettyJson(item, inner)).join(',\n')}\n${indent}]`;
    }
    const entries = Object.entries(value).filter((entry) => entry[1] !== undefined);
    if (entries.length === 0)
        return '{}';
    const members = entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${prettyJson(item, inner)}`);
    return `{\n${members.join(',\n')}\n${indent}}`;
}
/** A strict RFC 8259 parser (no comments, no trailing commas, no duplicate keys) that keeps numbers as text. */
function parseJson(text) {
    const parser = new Parser(text);
    parser.skipSpace();
    const value = parser.value(0);
    parser.skipSpace();
    if (!parser.atEnd())
        parser.fail('unexpected text after the JSON value');
    return value;
}
const MAX_DEPTH = 64;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// eslint-disable-next-line no-control-regex -- RFC 8259 §7: raw control characters may not appear in a string
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
class Parser {
    text;
    at = 0;
    constructor(text) {
        this.text = text;
    }
    atEnd() {
        return this.at >= this.text.length;
    }
    fail(problem) {
        const line = this.text.slice(0, this.at).split('\n').length;
        throw new JsonSyntaxError(`invalid JSON at line ${line}: ${problem}`);
    }
    skipSpace() {
        while (this.at < this.text.length && ' \t\n\r'.includes(this.text[this.at]))
            this.at++;
    }
    value(depth) {
        if (depth > MAX_DEPTH)
            this.fail('nested too deeply');
        const c = this.text[this.at];
        if (c === '{')
            return this.object(depth);
        if (c === '[')
            return this.array(depth);
        if (c === '"')
            return this.string();
        for (const [word, value] of [
            ['null', null],
            ['true', true],
            ['false', false]
        ]) {
            if (this.text.startsWith(word, this.at)) {
                this.at += word.length;
                return value;
            }
        }
        NUMBER.lastIndex = this.at;
        const number = NUMBER.exec(this.text);
        if (!number)
            this.fail(c === undefined ? 'unexpected end' : `unexpected ${JSON.stringify(c)}`);
        this.at += number[0].length;
        return new JsonNumber(number[0]);
    }
    string() {
        STRING.lastIndex = this.at;
        const match = STRING.exec(this.text);
        if (!match)
            this.fail('malformed string');
        this.at += match[0].length;
        return JSON.parse(match[0]);
    }
    array(depth) {
        const items = [];
        this.at++;
        this.skipSpace();
        if (this.text[this.at] === ']') {
            this.at++;
            return items;
        }
        for (;;) {
            this.skipSpace();
            items.push(this.value(depth + 1));
            this.skipSpace();
            const c = this.text[this.at++];
            if (c === ']')
                return items;
            if (c !== ',')
                this.fail("expected ',' or ']'");
        }
    }
    object(depth) {
        // No prototype: a key such as "__proto__" is just a key.
        const members = Object.create(null);
        this.at++;
        this.skipSpace();
        if (this.text[this.at] === '}') {
            this.at++;
            return members;
        }
        for (;;) {
            this.skipSpace();
            if (this.text[this.at] !== '"')
                this.fail('expected a key');
            const key = this.string();
            if (Object.hasOwn(members, key))
                this.fail(`duplicate key ${JSON.stringify(key)}`);
            this.skipSpace();
            if (this.text[this.at++] !== ':')
                this.fail("expected ':'");
            this.skipSpace();
            members[key] = this.value(depth + 1);
            this.skipSpace();
            const c = this.text[this.at++];
            if (c === '}')
                return members;
            if (c !== ',')
                this.fail("expected ',' or '}'");
        }
    }
}
function isJsonObject(value) {
    return (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber));
}


/***/ }),

/***/ 39526:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B6: () => (/* binding */ snapshotFilePaths),
/* harmony export */   E9: () => (/* binding */ chunkFile),
/* harmony export */   JC: () => (/* binding */ CHUNK_FILE_NAME),
/* harmony export */   LE: () => (/* binding */ blobSize),
/* harmony export */   QN: () => (/* binding */ CHUNK_STORE_DIR),
/* harmony export */   SO: () => (/* binding */ TRANSFER_STATE_FILES),
/* harmony export */   VR: () => (/* binding */ METADATA_FILE),
/* harmony export */   Xi: () => (/* binding */ blobFileWritten),
/* harmony export */   c7: () => (/* binding */ blobFile),
/* harmony export */   dK: () => (/* binding */ SHA256SUMS_FILE),
/* harmony export */   h1: () => (/* binding */ MANIFEST_FILE),
/* harmony export */   oB: () => (/* binding */ DOWNLOAD_PROGRESS_FILE),
/* harmony export */   t8: () => (/* binding */ UPLOAD_PROGRESS_FILE),
/* harmony export */   yD: () => (/* binding */ BLOB_KINDS)
/* harmony export */ });
const BLOB_KINDS = ['wasm_module', 'wasm_memory', 'stable_memory'];
const METADATA_FILE = 'metadata.json';
const CHUNK_STORE_DIR = 'wasm_chunk_store';
const SHA256SUMS_FILE = 'SHA256SUMS';
const MANIFEST_FILE = 'manifest.json';
const DOWNLOAD_PROGRESS_FILE = '.download_progress.json';
const UPLOAD_PROGRESS_FILE = '.upload_progress.json';
/**
 * Files a transfer leaves while it runs or after it stops, which belong to no snapshot: icp-cli's lock (left in
 * place), the progress files and their temporary copies.
 */
const TRANSFER_STATE_FILES = [
    '.lock',
    DOWNLOAD_PROGRESS_FILE,
    `${DOWNLOAD_PROGRESS_FILE}.tmp`,
    UPLOAD_PROGRESS_FILE,
    `${UPLOAD_PROGRESS_FILE}.tmp`
];
function blobFile(kind) {
    return `${kind}.bin`;
}
/** Relative path, always with '/', as SHA256SUMS and manifest.json list it. */
function chunkFile(hash) {
    const hex = typeof hash === 'string' ? hash : Buffer.from(hash).toString('hex');
    return `${CHUNK_STORE_DIR}/${hex}.bin`;
}
const CHUNK_FILE_NAME = /^[0-9a-f]{64}\.bin$/;
function blobSize(metadata, kind) {
    return kind === 'wasm_module'
        ? metadata.wasmModuleSize
        : kind === 'wasm_memory'
            ? metadata.wasmMemorySize
            : metadata.stableMemorySize;
}
/**
 * icp-cli's download writes wasm_module.bin and wasm_memory.bin only when they have bytes, but always writes
 * stable_memory.bin, even empty (snapshot download.rs). dfx does the opposite for stable memory, so a reader
 * accepts a missing file wherever the size is 0.
 */
function blobFileWritten(kind, size) {
    return size > 0n || kind === 'stable_memory';
}
/**
 * The snapshot's own files as a download writes them: metadata.json, the memories (by `blobFileWritten`) and
 * one file per chunk.
 */
function snapshotFilePaths(metadata) {
    return [
        METADATA_FILE,
        ...BLOB_KINDS.filter(kind => blobFileWritten(kind, blobSize(metadata, kind))).map(blobFile),
        ...metadata.wasmChunkStore.map(hash => chunkFile(hash))
    ];
}


/***/ }),

/***/ 55736:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  GV: () => (/* binding */ SnapshotMetadataError),
  CG: () => (/* binding */ encodeMetadataJson),
  TG: () => (/* binding */ metadataFromResponse),
  ro: () => (/* binding */ parseMetadataJson),
  yv: () => (/* binding */ toUploadParam)
});

// UNUSED EXPORTS: blobBytes

;// CONCATENATED MODULE: ./src/snapshot-dir/float-format.ts
// Floats as serde_json writes them in icp-cli 1.5.0's metadata.json: the shortest digits that read back as the
// same f32 or f64 (Ryū), laid out as the `ryu` crate's pretty printer does (`1.5`, `16777216.0`, `0.000012`,
// `1e-7`), with the `e+` that icp-cli 1.5.0 writes for positive exponents (observed: `1e+300`, `3.4028235e+38`).
// NaN and infinities have no JSON form: serde_json writes `null`.
// ryu's `format64` and `format32` switch to exponent notation outside these bounds of kk.
const LAYOUT = { f64: { maxFixed: 16, minFixed: -5 }, f32: { maxFixed: 13, minFixed: -6 } };
function formatFloat(value, kind) {
    if (!Number.isFinite(value))
        return null;
    const sign = value < 0 || Object.is(value, -0) ? '-' : '';
    if (value === 0)
        return `${sign}0.0`;
    const magnitude = Math.abs(value);
    const decimal = kind === 'f64' ? shortestF64(magnitude) : shortestF32(Math.fround(magnitude));
    return sign + layout(decimal, LAYOUT[kind]);
}
function layout({ digits, kk }, { maxFixed, minFixed }) {
    const length = digits.length;
    if (length <= kk && kk <= maxFixed)
        return `${digits}${'0'.repeat(kk - length)}.0`;
    if (0 < kk && kk <= maxFixed)
        return `${digits.slice(0, kk)}.${digits.slice(kk)}`;
    if (minFixed < kk && kk <= 0)
        return `0.${'0'.repeat(-kk)}${digits}`;
    const exponent = kk - 1;
    const mantissa = length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
    return `${mantissa}e${exponent > 0 ? '+' : ''}${exponent}`;
}
/** `d.ddde±x` → digits and kk. */
function fromExponential(text) {
    const [mantissa, exponent] = text.split('e');
    const digits = mantissa.replace('.', '').replace(/0+$/, '');
    return { digits: digits || '0', kk: Number(exponent) + 1 };
}
// ECMAScript's Number::toString picks the shortest digits that read back as the same double, and the closest
// of those: the same choice as Ryū.
function shortestF64(magnitude) {
    return fromExponential(magnitude.toExponential());
}
// JS has no f32 printer: try 1 to 9 significant digits, and at each length the correctly rounded decimal and
// its neighbours (near a power of two the f32 rounding interval is lopsided), keeping the closest that reads
// back as the same f32.
function shortestF32(magnitude) {
    for (let precision = 1; precision <= 9; precision++) {
        const nearest = fromExponential(magnitude.toExponential(precision - 1));
        const candidates = [nearest, ...neighbours(nearest, precision)].filter(candidate => Math.fround(float_format_valueOf(candidate)) === magnitude);
        if (candidates.length > 0) {
            return candidates.reduce((best, c) => Math.abs(float_format_valueOf(c) - magnitude) < Math.abs(float_format_valueOf(best) - magnitude) ? c : best);
        }
    }
    // Nine significant digits always identify an f32.
    return fromExponential(magnitude.toExponential(8));
}
function float_format_valueOf({ digits, kk }) {
    return Number(`0.${digits}e${kk}`);
}
/** The decimals one unit in the last of `precision` digits above and below. */
function neighbours({ digits, kk }, precision) {
    const padded = BigInt(digits.padEnd(precision, '0'));
    const result = [];
    for (const step of [1n, -1n]) {
        const next = padded + step;
        if (next <= 0n)
            continue;
        const text = next.toString();
        // 999 + 1 = 1000 gains a digit, 100 - 1 = 99 loses one: the decimal point moves with it.
        const shifted = kk + (text.length - precision);
        const trimmed = text.replace(/0+$/, '');
        result.push({ digits: trimmed || '0', kk: shifted });
    }
    return result;
}

// EXTERNAL MODULE: ./src/snapshot-dir/json.ts
var snapshot_dir_json = __webpack_require__(86346);
// EXTERNAL MODULE: ./src/snapshot-dir/json-fields.ts
var json_fields = __webpack_require__(79950);
;// CONCATENATED MODULE: ./src/snapshot-dir/metadata.ts



class SnapshotMetadataError extends Error {
    constructor(message) {
        super(message);
        this.name = 'SnapshotMetadataError';
    }
}
const KEYS = [
    'source',
    'taken_at_timestamp',
    'wasm_module_size',
    'globals',
    'wasm_memory_size',
    'stable_memory_size',
    'wasm_chunk_store',
    'canister_version',
    'certified_data',
    'global_timer',
    'on_low_wasm_memory_hook_status'
];
// serde reads a missing Option field as None.
const OPTIONAL_KEYS = ['source', 'global_timer', 'on_low_wasm_memory_hook_status'];
const REQUIRED_KEYS = KEYS.filter(key => !OPTIONAL_KEYS.includes(key));
const GLOBAL_KINDS = ['i32', 'i64', 'f32', 'f64', 'v128'];
const HOOK_STATUSES = ['condition_not_satisfied', 'ready', 'executed'];
// ---- to and from @icp-sdk/canisters' camelCase shapes ----
function metadataFromResponse(response) {
    const timer = response.globalTimer;
    const hook = response.onLowWasmMemoryHookStatus;
    return {
        source: 'takenFromCanister' in response.source ? 'taken_from_canister' : 'metadata_upload',
        takenAtTimestamp: response.takenAtTimestamp,
        wasmModuleSize: response.wasmModuleSize,
        globals: response.globals,
        wasmMemorySize: response.wasmMemorySize,
        stableMemorySize: response.stableMemorySize,
        wasmChunkStore: response.wasmChunkStore.map(({ hash }) => new Uint8Array(hash)),
        canisterVersion: response.canisterVersion,
        certifiedData: new Uint8Array(response.certifiedData),
        globalTimer: timer === undefined ? null : 'active' in timer ? { active: timer.active } : 'inactive',
        onLowWasmMemoryHookStatus: hook === undefined
            ? null
            : 'conditionNotSatisfied' in hook
                ? 'condition_not_satisfied'
                : 'ready' in hook
                    ? 'ready'
                    : 'executed'
    };
}
/**
 * What upload_canister_snapshot_metadata takes: source, taken_at_timestamp, canister_version and
 * wasm_chunk_store are not sent (icp-cli `upload_snapshot_metadata`); the IC sets them itself.
 */
function toUploadParam(metadata) {
    const timer = metadata.globalTimer;
    const hook = metadata.onLowWasmMemoryHookStatus;
    return {
        globals: metadata.globals,
        certifiedData: metadata.certifiedData,
        ...(timer === null ? {} : { globalTimer: timer === 'inactive' ? { inactive: null } : timer }),
        ...(hook === null
            ? {}
            : {
                onLowWasmMemoryHookStatus: hook === 'condition_not_satisfied'
                    ? { conditionNotSatisfied: null }
                    : hook === 'ready'
                        ? { ready: null }
                        : { executed: null }
            }),
        wasmModuleSize: metadata.wasmModuleSize,
        wasmMemorySize: metadata.wasmMemorySize,
        stableMemorySize: metadata.stableMemorySize
    };
}
// ---- metadata.json ----
/**
 * The exact bytes icp-cli writes. Throws for a NaN or infinite global: serde_json would write `null`, which
 * neither icp-cli nor this action can upload again ("snapshot metadata contains unparseable globals").
 */
function encodeMetadataJson(metadata) {
    const json = {
        source: metadata.source === null ? null : { [metadata.source]: null },
        taken_at_timestamp: metadata.takenAtTimestamp,
        wasm_module_size: metadata.wasmModuleSize,
        globals: metadata.globals.map(encodeGlobal),
        wasm_memory_size: metadata.wasmMemorySize,
        stable_memory_size: metadata.stableMemorySize,
        wasm_chunk_store: metadata.wasmChunkStore.map(hash => ({ hash: [...hash] })),
        canister_version: metadata.canisterVersion,
        certified_data: [...metadata.certifiedData],
        global_timer: metadata.globalTimer === null
            ? null
            : metadata.globalTimer === 'inactive'
                ? 'inactive'
                : { active: metadata.globalTimer.active },
        on_low_wasm_memory_hook_status: metadata.onLowWasmMemoryHookStatus
    };
    return (0,snapshot_dir_json/* prettyJson */.D_)(json);
}
function encodeGlobal(global, index) {
    if ('i32' in global)
        return { i32: global.i32 };
    if ('i64' in global)
        return { i64: global.i64 };
    if ('v128' in global)
        return { v128: u32Digits(global.v128) };
    const [kind, value] = 'f32' in global ? ['f32', global.f32] : ['f64', global.f64];
    const text = formatFloat(value, kind);
    if (text === null)
        throw new SnapshotMetadataError(`global ${index} is ${kind} ${value}, which metadata.json cannot hold (JSON has no NaN or infinity)`);
    return { [kind]: new snapshot_dir_json/* JsonNumber */.WP(text) };
}
/** A BigUint's serde form: little-endian u32 digits, none for 0. */
function u32Digits(value) {
    const digits = [];
    for (let rest = value; rest > 0n; rest >>= 32n)
        digits.push(Number(rest & 0xffffffffn));
    return digits;
}
/** Reads metadata.json strictly; errors name the field, e.g. "field 'globals[2].f32' is null, …". */
function parseMetadataJson(text) {
    let json;
    try {
        json = (0,snapshot_dir_json/* parseJson */.qF)(text);
    }
    catch (error) {
        throw new SnapshotMetadataError(error.message);
    }
    try {
        return decodeMetadata(json);
    }
    catch (error) {
        if (error instanceof json_fields/* JsonFieldError */.ly)
            throw new SnapshotMetadataError(error.message);
        throw error;
    }
}
function decodeMetadata(json) {
    const m = (0,json_fields/* objectField */.qV)(json, '', KEYS, REQUIRED_KEYS);
    return {
        source: m.source == null
            ? null
            : (0,json_fields/* variantField */.kY)(m.source, 'source', ['taken_from_canister', 'metadata_upload'])[0],
        takenAtTimestamp: (0,json_fields/* u64Field */.gY)(m.taken_at_timestamp, 'taken_at_timestamp'),
        wasmModuleSize: (0,json_fields/* u64Field */.gY)(m.wasm_module_size, 'wasm_module_size'),
        globals: (0,json_fields/* arrayField */.e7)(m.globals, 'globals').map((g, i) => decodeGlobal(g, (0,json_fields/* join */.fj)('globals', i))),
        wasmMemorySize: (0,json_fields/* u64Field */.gY)(m.wasm_memory_size, 'wasm_memory_size'),
        stableMemorySize: (0,json_fields/* u64Field */.gY)(m.stable_memory_size, 'stable_memory_size'),
        wasmChunkStore: (0,json_fields/* arrayField */.e7)(m.wasm_chunk_store, 'wasm_chunk_store').map((chunk, i) => {
            const field = (0,json_fields/* join */.fj)('wasm_chunk_store', i);
            const hash = bytesField((0,json_fields/* objectField */.qV)(chunk, field, ['hash']).hash, (0,json_fields/* join */.fj)(field, 'hash'));
            if (hash.length !== 32)
                throw new json_fields/* JsonFieldError */.ly((0,json_fields/* join */.fj)(field, 'hash'), `has ${hash.length} bytes, expected 32`);
            return hash;
        }),
        canisterVersion: (0,json_fields/* u64Field */.gY)(m.canister_version, 'canister_version'),
        certifiedData: bytesField(m.certified_data, 'certified_data'),
        globalTimer: decodeTimer(m.global_timer),
        onLowWasmMemoryHookStatus: m.on_low_wasm_memory_hook_status == null
            ? null
            : (0,json_fields/* stringField */.OM)(m.on_low_wasm_memory_hook_status, 'on_low_wasm_memory_hook_status', new RegExp(`^(${HOOK_STATUSES.join('|')})$`))
    };
}
function decodeGlobal(value, field) {
    // icp-cli writes `null` for a global its crate could not read, and refuses to upload it.
    if (value === null)
        throw new json_fields/* JsonFieldError */.ly(field, 'is null: snapshot metadata contains unparseable globals');
    const [kind, inner] = (0,json_fields/* variantField */.kY)(value, field, GLOBAL_KINDS);
    const innerField = (0,json_fields/* join */.fj)(field, kind);
    switch (kind) {
        case 'i32':
            return { i32: Number((0,json_fields/* integerField */.nm)(inner, innerField, -(2n ** 31n), 2n ** 31n - 1n)) };
        case 'i64':
            return { i64: (0,json_fields/* integerField */.nm)(inner, innerField, -(2n ** 63n), 2n ** 63n - 1n) };
        case 'f32':
            // serde_json reads an f32 as an f64 and narrows it; so does this.
            return { f32: Math.fround((0,json_fields/* floatField */.PI)(inner, innerField)) };
        case 'f64':
            return { f64: (0,json_fields/* floatField */.PI)(inner, innerField) };
        default: {
            const digits = (0,json_fields/* arrayField */.e7)(inner, innerField);
            let v128 = 0n;
            digits.forEach((digit, i) => {
                v128 |= (0,json_fields/* integerField */.nm)(digit, (0,json_fields/* join */.fj)(innerField, i), 0n, 0xffffffffn) << (32n * BigInt(i));
            });
            return { v128 };
        }
    }
}
function decodeTimer(value) {
    if (value == null)
        return null;
    if (value === 'inactive')
        return 'inactive';
    if (typeof value === 'string')
        throw new json_fields/* JsonFieldError */.ly('global_timer', `is ${JSON.stringify(value)}, expected null, "inactive" or {"active": N}`);
    const [, active] = (0,json_fields/* variantField */.kY)(value, 'global_timer', ['active']);
    return { active: (0,json_fields/* u64Field */.gY)(active, 'global_timer.active') };
}
function bytesField(value, field) {
    const items = (0,json_fields/* arrayField */.e7)(value, field);
    return new Uint8Array(items.map((item, i) => Number((0,json_fields/* integerField */.nm)(item, (0,json_fields/* join */.fj)(field, i), 0n, 255n))));
}
/** Total bytes of the three memories (not the chunk store), as icp-cli reports a snapshot's size. */
function blobBytes(metadata) {
    return metadata.wasmModuleSize + metadata.wasmMemorySize + metadata.stableMemorySize;
}


/***/ }),

/***/ 68229:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   U: () => (/* binding */ SnapshotDirError),
/* harmony export */   d: () => (/* binding */ verifySnapshotDir)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _checksums_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(84506);
/* harmony import */ var _files_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9809);
/* harmony import */ var _layout_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(39526);
/* harmony import */ var _metadata_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(55736);
// The check every upload starts with: the directory must hold exactly the snapshot its metadata.json describes,
// and, when this action wrote it, exactly the bytes SHA256SUMS and manifest.json list. icp-cli checks nothing
// (snapshot_transfer.rs reads whatever is there), so a truncated artifact would otherwise become a snapshot.






/** A directory that is not the snapshot it claims to be; the message names the file and what differs. */
class SnapshotDirError extends Error {
    file;
    constructor(file, problem, dir) {
        super(`${(0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, file)} ${problem}`);
        this.file = file;
        this.name = 'SnapshotDirError';
    }
}
// metadata.json lists at most the chunk store's hashes and the module's globals: far below a MiB. SHA256SUMS
// and manifest.json list the files, a line or an entry each.
const MAX_TEXT_FILE_BYTES = 1 << 20;
async function verifySnapshotDir(dirGiven, options = {}) {
    // The real path, once: every file below is then checked not to lead out of it.
    const dir = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.realpath)(dirGiven).catch(() => dirGiven);
    const fail = (file, problem) => {
        throw new SnapshotDirError(file, problem, dir);
    };
    // Every entry first: a symlink or a device anywhere below is refused before any file is read.
    const present = await listFiles(dir, '', !options.untrusted).catch((error) => {
        if (error.code === 'ENOENT' || error.code === 'ENOTDIR')
            fail('', 'is not a directory');
        throw error;
    });
    const metadata = await readMetadata(dir);
    const sums = await readOptional(dir, _layout_js__WEBPACK_IMPORTED_MODULE_4__/* .SHA256SUMS_FILE */ .dK, _checksums_js__WEBPACK_IMPORTED_MODULE_2__/* .parseSha256Sums */ .Lm);
    const manifest = await readOptional(dir, _layout_js__WEBPACK_IMPORTED_MODULE_4__/* .MANIFEST_FILE */ .h1, _checksums_js__WEBPACK_IMPORTED_MODULE_2__/* .parseManifest */ .Ng);
    if (options.untrusted && !sums)
        fail(_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .SHA256SUMS_FILE */ .dK, 'is missing: a snapshot directory from an artifact or a cache must list its files');
    const hashes = new Map();
    const sha256Of = async (file) => {
        const known = hashes.get(file);
        if (known)
            return known;
        const { sha256 } = await (0,_files_js__WEBPACK_IMPORTED_MODULE_3__/* .sha256File */ .Q3)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, file));
        hashes.set(file, sha256);
        return sha256;
    };
    // An edited metadata.json is reported as such, before the sizes it now gets wrong.
    const listedMetadata = sums?.has(_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .METADATA_FILE */ .VR)
        ? { list: _layout_js__WEBPACK_IMPORTED_MODULE_4__/* .SHA256SUMS_FILE */ .dK, sha256: sums.get(_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .METADATA_FILE */ .VR) }
        : { list: _layout_js__WEBPACK_IMPORTED_MODULE_4__/* .MANIFEST_FILE */ .h1, sha256: manifest?.files[_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .METADATA_FILE */ .VR]?.sha256 };
    if (listedMetadata.sha256 !== undefined) {
        const actual = await sha256Of(_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .METADATA_FILE */ .VR);
        if (actual !== listedMetadata.sha256)
            fail(_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .METADATA_FILE */ .VR, `does not match ${listedMetadata.list}: its sha256 is ${actual}, ${listedMetadata.list} says ${listedMetadata.sha256}`);
    }
    // Sizes next: they cost a stat each and catch truncation before any hashing.
    const files = [
        { path: _layout_js__WEBPACK_IMPORTED_MODULE_4__/* .METADATA_FILE */ .VR, size: (await sizeOf(dir, _layout_js__WEBPACK_IMPORTED_MODULE_4__/* .METADATA_FILE */ .VR)) }
    ];
    for (const kind of _layout_js__WEBPACK_IMPORTED_MODULE_4__/* .BLOB_KINDS */ .yD) {
        const file = (0,_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .blobFile */ .c7)(kind);
        const expected = (0,_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .blobSize */ .LE)(metadata, kind);
        const size = await sizeOf(dir, file);
        if (size === undefined) {
            // icp-cli leaves out empty memories; dfx leaves out empty stable memory.
            if (expected > 0n)
                fail(file, `is missing; ${_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .METADATA_FILE */ .VR} says it has ${expected} bytes`);
            continue;
        }
        if (BigInt(size) !== expected)
            fail(file, `has ${size} bytes, but ${_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .METADATA_FILE */ .VR} says ${expected}`);
        files.push({ path: file, size });
    }
    const listed = new Set(metadata.wasmChunkStore.map(hash => (0,_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .chunkFile */ .E9)(hash)));
    const stored = await chunkStoreFiles(dir);
    for (const file of stored) {
        if (!listed.has(file))
            fail(file, `is not a chunk of this snapshot (${_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .METADATA_FILE */ .VR} does not list it)`);
    }
    for (const file of listed) {
        if (!stored.includes(file))
            fail(file, `is missing; ${_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .METADATA_FILE */ .VR} lists it in wasm_chunk_store`);
    }
    if (sums || manifest) {
        const lists = [];
        if (sums)
            lists.push([_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .SHA256SUMS_FILE */ .dK, new Map([...sums].map(([path, sha256]) => [path, { sha256 }]))]);
        if (manifest)
            lists.push([_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .MANIFEST_FILE */ .h1, new Map(Object.entries(manifest.files))]);
        for (const [listName, list] of lists) {
            // manifest.json does not list itself, and neither file lists SHA256SUMS.
            const unlisted = present.filter(file => !list.has(file) &&
                file !== _layout_js__WEBPACK_IMPORTED_MODULE_4__/* .SHA256SUMS_FILE */ .dK &&
                !(file === _layout_js__WEBPACK_IMPORTED_MODULE_4__/* .MANIFEST_FILE */ .h1 && listName === _layout_js__WEBPACK_IMPORTED_MODULE_4__/* .MANIFEST_FILE */ .h1));
            if (unlisted.length > 0)
                fail(unlisted[0], `is not listed in ${listName}`);
            for (const [file, expected] of list) {
                const size = await sizeOf(dir, file);
                if (size === undefined)
                    fail(file, `is missing (listed in ${listName})`);
                if (expected.size !== undefined && size !== expected.size)
                    fail(file, `has ${size} bytes, but ${listName} says ${expected.size}`);
            }
        }
        for (const [listName, list] of lists) {
            for (const [file, expected] of list) {
                const actual = await sha256Of(file);
                if (actual !== expected.sha256)
                    fail(file, `does not match ${listName}: its sha256 is ${actual}, ${listName} says ${expected.sha256}`);
            }
        }
    }
    // A chunk's name is its hash: check it even when no checksum file lists it.
    for (const file of stored) {
        const actual = await sha256Of(file);
        const named = file.slice(_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .CHUNK_STORE_DIR */ .QN.length + 1, -'.bin'.length);
        if (actual !== named)
            fail(file, `has sha256 ${actual}, not the hash its name and ${_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .METADATA_FILE */ .VR} give`);
        files.push({ path: file, size: (await sizeOf(dir, file)) });
    }
    const module = files.find(file => file.path === (0,_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .blobFile */ .c7)('wasm_module'));
    if (manifest && module && manifest.module_hash !== (await sha256Of(module.path)))
        fail(_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .MANIFEST_FILE */ .h1, `gives module_hash ${manifest.module_hash}, but wasm_module.bin hashes to ${hashes.get(module.path)}`);
    return {
        dir,
        metadata,
        checksums: sums || manifest ? 'sha256sums' : 'sizes-only',
        files: files.map(file => ({
            ...file,
            ...(hashes.has(file.path) ? { sha256: hashes.get(file.path) } : {})
        })),
        totalBytes: files
            .filter(file => file.path !== _layout_js__WEBPACK_IMPORTED_MODULE_4__/* .METADATA_FILE */ .VR)
            .reduce((sum, file) => sum + BigInt(file.size), 0n),
        ...(manifest ? { manifest } : {}),
        ...(module ? { wasmModulePath: (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, module.path) } : {})
    };
}
async function readMetadata(dir) {
    const text = await readText(dir, _layout_js__WEBPACK_IMPORTED_MODULE_4__/* .METADATA_FILE */ .VR);
    if (text === undefined)
        throw new SnapshotDirError(_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .METADATA_FILE */ .VR, 'is missing: this is not a snapshot directory', dir);
    try {
        return (0,_metadata_js__WEBPACK_IMPORTED_MODULE_5__/* .parseMetadataJson */ .ro)(text);
    }
    catch (error) {
        if (error instanceof _metadata_js__WEBPACK_IMPORTED_MODULE_5__/* .SnapshotMetadataError */ .GV)
            throw new SnapshotDirError(_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .METADATA_FILE */ .VR, `is invalid: ${error.message}`, dir);
        throw error;
    }
}
async function readOptional(dir, file, parse) {
    const text = await readText(dir, file);
    if (text === undefined)
        return undefined;
    try {
        return parse(text);
    }
    catch (error) {
        if (error instanceof _checksums_js__WEBPACK_IMPORTED_MODULE_2__/* .ChecksumFileError */ .i1)
            throw new SnapshotDirError(file, `is invalid: ${error.message}`, dir);
        throw error;
    }
}
async function readText(dir, file) {
    try {
        return await (0,_files_js__WEBPACK_IMPORTED_MODULE_3__/* .readTextIfPresent */ .Ge)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, file), MAX_TEXT_FILE_BYTES);
    }
    catch (error) {
        if (error instanceof _files_js__WEBPACK_IMPORTED_MODULE_3__/* .UnsafeFileError */ .h)
            throw new SnapshotDirError(file, error.message, dir);
        throw error;
    }
}
/** Size of a regular file, or undefined when there is none (listFiles has refused links already). */
async function sizeOf(dir, file) {
    try {
        const info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.lstat)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, file));
        return info.isFile() ? info.size : undefined;
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        throw error;
    }
}
/** wasm_chunk_store/*.bin; anything else in there is reported as not being a chunk. */
async function chunkStoreFiles(dir) {
    let names;
    try {
        names = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, _layout_js__WEBPACK_IMPORTED_MODULE_4__/* .CHUNK_STORE_DIR */ .QN));
    }
    catch (error) {
        // dfx writes no chunk store directory for an empty store.
        if (error.code === 'ENOENT')
            return [];
        throw error;
    }
    const files = names.map(name => `${_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .CHUNK_STORE_DIR */ .QN}/${name}`);
    const odd = names.find(name => !_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .CHUNK_FILE_NAME */ .JC.test(name));
    if (odd !== undefined)
        throw new SnapshotDirError(`${_layout_js__WEBPACK_IMPORTED_MODULE_4__/* .CHUNK_STORE_DIR */ .QN}/${odd}`, 'is not a chunk file (<sha256 hex>.bin)', dir);
    return files.sort();
}
/**
 * Every file under `dir` as a '/' path. Anything but a regular file or a directory (a symlink could lead
 * anywhere) is refused. A transfer's own state files are left out only when `skipTransferState`.
 */
async function listFiles(dir, prefix, skipTransferState) {
    const found = [];
    for (const entry of await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, prefix), { withFileTypes: true })) {
        const path = prefix ? `${prefix}/${entry.name}` : entry.name;
        if (entry.isDirectory())
            found.push(...(await listFiles(dir, path, skipTransferState)));
        else if (!entry.isFile())
            throw new SnapshotDirError(path, `is ${(0,_files_js__WEBPACK_IMPORTED_MODULE_3__/* .kindOf */ .I)(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.lstat)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, path)))}; only regular files are read`, dir);
        else if (!(skipTransferState && prefix === '' && _layout_js__WEBPACK_IMPORTED_MODULE_4__/* .TRANSFER_STATE_FILES */ .SO.includes(entry.name)))
            found.push(path);
    }
    return found.sort();
}


/***/ }),

/***/ 69708:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   UL: () => (/* binding */ runAdaptive),
/* harmony export */   uN: () => (/* binding */ Congestion)
/* harmony export */ });
/* unused harmony export START_CONCURRENCY */
// How many slices a transfer keeps in flight, found as TCP finds its window (AIMD), because no fixed number
// suits every network: at 200 ms a call 8 in flight fill the link, at mainnet's 2 s per update 16 are not
// enough, and a boundary node that answers 429 wants fewer. The level starts moderate and doubles while each
// window of completed slices is faster than the last (slow start); then it grows by one per window in which
// calls did not queue.
// It halves when a call had to be retried (HTTP 429 or 5xx, a transient reject, a reset), and when latency
// rose while throughput stayed flat: more in flight only queued. It never exceeds the cap: the `concurrency`
// input, bounded by what the slices' buffers may take of memory.
/** Slices in flight at first: enough to measure, few enough to be polite. */
const START_CONCURRENCY = 4;
/** A window's throughput must beat the last by this much to count as rising. */
const RISE = 1.05;
/** A window's median latency this much above the best seen means calls queue. */
const QUEUEING = 1.5;
class Congestion {
    options;
    #level;
    #start;
    #peak;
    #slowStart = true;
    #windowStart;
    #windowBytes = 0;
    #windowLatencies = [];
    #lastThroughput = 0;
    #bestLatency = Infinity;
    // After a halving, completions of calls sent before it say nothing about the new level.
    #quietUntil = 0;
    // After a rise, the next window still measures calls sent at the old level: it is not judged.
    #settling = false;
    #now;
    constructor(options) {
        this.options = options;
        this.#now = options.now ?? (() => performance.now());
        this.#level = Math.max(1, Math.min(options.cap, options.start ?? START_CONCURRENCY));
        this.#start = this.#level;
        this.#peak = this.#level;
        this.#windowStart = this.#now();
    }
    get level() {
        return this.#level;
    }
    /** The highest level reached. */
    get peak() {
        return this.#peak;
    }
    /** One line for the log: where the level started, how high it went, where it ended. */
    summary() {
        return `${this.#start} at first, up to ${this.#peak}, ${this.#level} at the end (at most ${this.options.cap})`;
    }
    /** A slice completed: `bytes` moved, the call took `latencyMs`. */
    completed(bytes, latencyMs) {
        const now = this.#now();
        if (now < this.#quietUntil)
            return;
        this.#windowBytes += bytes;
        this.#windowLatencies.push(latencyMs);
        // A window is one level's worth of completions: each slot in flight finished about once.
        if (this.#windowLatencies.length < this.#level)
            return;
        const throughput = this.#windowBytes / Math.max(1, now - this.#windowStart);
        const latency = [...this.#windowLatencies].sort((a, b) => a - b)[Math.floor(this.#windowLatencies.length / 2)];
        const previous = this.#lastThroughput;
        this.#bestLatency = Math.min(this.#bestLatency, latency);
        if (this.#settling) {
            this.#settling = false;
            this.#startWindow(now, previous);
            return;
        }
        this.#startWindow(now, throughput);
        if (previous === 0)
            return;
        if (throughput >= previous * RISE) {
            this.#settling = true;
            this.#set(this.#slowStart ? this.#level * 2 : this.#level + 1, 'throughput rose');
        }
        else if (latency > this.#bestLatency * QUEUEING) {
            this.#halve('latency rose while throughput stayed flat');
        }
        else {
            // Flat, and calls do not queue: slow start ends, and the level probes one higher, as TCP's does.
            this.#slowStart = false;
            this.#settling = true;
            this.#set(this.#level + 1, 'probing');
        }
    }
    /** A call had to be retried: the network or the IC pushed back. */
    pushedBack(reason) {
        if (this.#now() < this.#quietUntil)
            return;
        this.#halve(reason);
    }
    #halve(reason) {
        this.#slowStart = false;
        this.#set(Math.floor(this.#level / 2), reason);
        this.#quietUntil =
            this.#now() + Math.max(...this.#windowLatencies, this.#bestLatency === Infinity ? 0 : this.#bestLatency);
        this.#startWindow(this.#now(), 0);
    }
    #startWindow(now, throughput) {
        this.#windowStart = now;
        this.#windowBytes = 0;
        this.#windowLatencies = [];
        this.#lastThroughput = throughput;
    }
    #set(level, reason) {
        const bounded = Math.max(1, Math.min(this.options.cap, level));
        if (bounded === this.#level)
            return;
        this.#level = bounded;
        this.#peak = Math.max(this.#peak, bounded);
        this.options.onChange?.(bounded, reason);
    }
}
/**
 * Runs `work` over `jobs` with at most `congestion.level` in flight, read again each time a job ends. After
 * the first failure no new job starts, the ones in flight finish, and then the first error is thrown.
 */
async function runAdaptive(jobs, congestion, work) {
    const queue = jobs[Symbol.iterator]();
    let failure;
    let inFlight = 0;
    await new Promise(resolve => {
        let exhausted = false;
        const fill = () => {
            while (!failure && !exhausted && inFlight < congestion.level) {
                const next = queue.next();
                if (next.done) {
                    exhausted = true;
                    break;
                }
                inFlight++;
                work(next.value)
                    .catch(error => {
                    failure ??= { error };
                })
                    .finally(() => {
                    inFlight--;
                    fill();
                });
            }
            if (inFlight === 0 && (exhausted || failure))
                resolve();
        };
        fill();
    });
    if (failure)
        throw failure.error;
}


/***/ }),

/***/ 56508:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   M4: () => (/* binding */ TransferStepError),
/* harmony export */   PM: () => (/* binding */ step),
/* harmony export */   aG: () => (/* binding */ TransferError)
/* harmony export */ });
/* harmony import */ var _ic_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(37649);

/** A transfer that stopped; the message says what is kept on disk and how to continue. */
class TransferError extends _ic_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ {
    constructor(message) {
        super(message);
        this.name = 'TransferError';
    }
}
/** One step of a transfer that failed, named: "reading stable_memory at 4000000: HTTP 503 …". */
class TransferStepError extends _ic_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ {
    cause;
    constructor(step, cause) {
        super(`${step}: ${(0,_ic_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .describe */ .q0)(cause)}`);
        this.cause = cause;
        this.name = 'TransferStepError';
    }
}
async function step(name, run) {
    try {
        return await run();
    }
    catch (error) {
        throw new TransferStepError(name, error);
    }
}


/***/ }),

/***/ 30519:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   a: () => (/* binding */ timed),
/* harmony export */   d: () => (/* binding */ congestionFor)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
/* harmony import */ var _ic_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(37649);
/* harmony import */ var _ic_rate_limits_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(86877);
/* harmony import */ var _congestion_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(69708);
/* harmony import */ var _defaults_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(19429);
// A transfer's congestion control wired to the action: the `concurrency` input as its cap (bounded by
// memory), the data calls' retries as push-back, and its level in the log.





function congestionFor(data, concurrency) {
    const cap = Math.min(concurrency, _defaults_js__WEBPACK_IMPORTED_MODULE_3__/* .MEMORY_CAP_SLICES */ .HJ);
    if (cap < concurrency)
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`concurrency ${concurrency} is more slices than memory allows; at most ${cap} are in flight`);
    const congestion = new _congestion_js__WEBPACK_IMPORTED_MODULE_4__/* .Congestion */ .uN({
        cap,
        onChange: (level, reason) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(`Slices in flight: ${level} (${reason})`)
    });
    // A rate-limited canister takes no more bytes per round however many calls are in flight: fewer, then.
    data.onRetry = error => congestion.pushedBack((0,_ic_rate_limits_js__WEBPACK_IMPORTED_MODULE_2__/* .isHeapDeltaRateLimited */ .Xb)(error)
        ? `the canister is heap delta rate limited: ${(0,_ic_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .describe */ .q0)(error)}`
        : `a call was retried: ${(0,_ic_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .describe */ .q0)(error)}`);
    return congestion;
}
/**
 * Runs one slice's call, telling `congestion` how long it took and how many bytes it moved; the timing goes
 * to the debug log under `slice` (e.g. "read wasm_memory at 4000000").
 */
async function timed(congestion, slice, call) {
    const started = performance.now();
    const result = await call();
    const bytes = typeof result === 'number' ? result : result.length;
    const ms = performance.now() - started;
    congestion.completed(bytes, ms);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(`Slice ${slice}: ${bytes} bytes in ${Math.round(ms)} ms`);
    return result;
}


/***/ }),

/***/ 41638:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ig: () => (/* binding */ saveUploadProgress),
/* harmony export */   ME: () => (/* binding */ removeProgress),
/* harmony export */   Q$: () => (/* binding */ uploadProgressFileFor),
/* harmony export */   YG: () => (/* binding */ loadDownloadProgress),
/* harmony export */   _P: () => (/* binding */ newDownloadProgress),
/* harmony export */   je: () => (/* binding */ saveDownloadProgress),
/* harmony export */   pp: () => (/* binding */ loadUploadProgress),
/* harmony export */   t$: () => (/* binding */ removeUploadProgress),
/* harmony export */   wD: () => (/* binding */ encodeDownloadProgress)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _ic_snapshot_data_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9790);
/* harmony import */ var _snapshot_dir_files_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9809);
/* harmony import */ var _snapshot_dir_json_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(86346);
/* harmony import */ var _snapshot_dir_json_fields_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(79950);
/* harmony import */ var _snapshot_dir_layout_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(39526);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(56508);
/* harmony import */ var _slices_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(3368);
// icp-cli's progress files, read and written in its format so that either tool can resume the other's
// transfer (icp-cli snapshot_transfer.rs `DownloadProgress`, `UploadProgress`; serde_json pretty, saved
// atomically). Each is deleted once its transfer has finished.









// ---- .download_progress.json: {"wasm_module":{"frontier":N,"ahead":[offsets]},"wasm_memory":…,"stable_memory":…}
function newDownloadProgress(sizes) {
    return Object.fromEntries(_snapshot_dir_layout_js__WEBPACK_IMPORTED_MODULE_6__/* .BLOB_KINDS */ .yD.map(kind => [kind, new _slices_js__WEBPACK_IMPORTED_MODULE_8__/* .SliceProgress */ .yz(sizes[kind])]));
}
async function loadDownloadProgress(dir, sizes) {
    return load(dir, _snapshot_dir_layout_js__WEBPACK_IMPORTED_MODULE_6__/* .DOWNLOAD_PROGRESS_FILE */ .oB, json => {
        const root = (0,_snapshot_dir_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .objectField */ .qV)(json, '', _snapshot_dir_layout_js__WEBPACK_IMPORTED_MODULE_6__/* .BLOB_KINDS */ .yD);
        return Object.fromEntries(_snapshot_dir_layout_js__WEBPACK_IMPORTED_MODULE_6__/* .BLOB_KINDS */ .yD.map(kind => {
            const blob = (0,_snapshot_dir_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .objectField */ .qV)(root[kind], kind, ['frontier', 'ahead']);
            const frontier = slicePosition(blob.frontier, (0,_snapshot_dir_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .join */ .fj)(kind, 'frontier'), sizes[kind], true);
            const ahead = (0,_snapshot_dir_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .arrayField */ .e7)(blob.ahead, (0,_snapshot_dir_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .join */ .fj)(kind, 'ahead')).map((offset, i) => slicePosition(offset, (0,_snapshot_dir_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .join */ .fj)((0,_snapshot_dir_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .join */ .fj)(kind, 'ahead'), i), sizes[kind], false));
            return [kind, new _slices_js__WEBPACK_IMPORTED_MODULE_8__/* .SliceProgress */ .yz(sizes[kind], frontier, ahead)];
        }));
    });
}
function encodeDownloadProgress(progress) {
    const json = Object.fromEntries(_snapshot_dir_layout_js__WEBPACK_IMPORTED_MODULE_6__/* .BLOB_KINDS */ .yD.map(kind => [
        kind,
        { frontier: progress[kind].frontier, ahead: [...progress[kind].ahead].sort((a, b) => a - b) }
    ]));
    return (0,_snapshot_dir_json_js__WEBPACK_IMPORTED_MODULE_4__/* .prettyJson */ .D_)(json);
}
/** Takes the encoded state, so that a caller can encode it before flushing the data it vouches for. */
async function saveDownloadProgress(dir, encoded) {
    await (0,_snapshot_dir_files_js__WEBPACK_IMPORTED_MODULE_3__/* .writeFileAtomic */ .Zf)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, _snapshot_dir_layout_js__WEBPACK_IMPORTED_MODULE_6__/* .DOWNLOAD_PROGRESS_FILE */ .oB), encoded);
}
/** A slice boundary: a multiple of the slice size below the memory's end (or at it, for a frontier). */
function slicePosition(value, field, total, frontier) {
    const offset = (0,_snapshot_dir_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .safeU64Field */ .Fr)(value, field);
    const atEnd = frontier && offset === total;
    if (!atEnd && (offset % _ic_snapshot_data_js__WEBPACK_IMPORTED_MODULE_2__/* .SLICE_SIZE */ .tz !== 0 || offset > total || (!frontier && offset === total)))
        throw new _snapshot_dir_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .JsonFieldError */ .ly(field, `is ${offset}, not the start of a ${_ic_snapshot_data_js__WEBPACK_IMPORTED_MODULE_2__/* .SLICE_SIZE */ .tz}-byte slice of ${total} bytes`);
    return offset;
}
// ---- .upload_progress.json ----
/**
 * Where a local directory's upload progress is kept: beside it, not in it. Nothing inside a directory that is
 * verified and uploaded may steer the upload, and a directory can come from anywhere (an artifact another step
 * downloaded); the file beside it was written by this action, on this machine. A sibling rather than a place
 * under RUNNER_TEMP, so that it lasts as long as the directory does.
 */
function uploadProgressFileFor(dir) {
    return `${(0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(dir)}${_snapshot_dir_layout_js__WEBPACK_IMPORTED_MODULE_6__/* .UPLOAD_PROGRESS_FILE */ .t8}`;
}
async function loadUploadProgress(file, sizes) {
    const keys = [
        'snapshot_id',
        'metadata_uploaded',
        'wasm_module_offset',
        'wasm_memory_offset',
        'stable_memory_offset',
        'wasm_chunks_uploaded'
    ];
    return loadFile(file, json => {
        const root = (0,_snapshot_dir_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .objectField */ .qV)(json, '', keys);
        const offsets = Object.fromEntries(_snapshot_dir_layout_js__WEBPACK_IMPORTED_MODULE_6__/* .BLOB_KINDS */ .yD.map(kind => {
            const field = `${kind}_offset`;
            const offset = (0,_snapshot_dir_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .safeU64Field */ .Fr)(root[field], field);
            if (offset > sizes[kind])
                throw new _snapshot_dir_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .JsonFieldError */ .ly(field, `is ${offset}, beyond the ${sizes[kind]} bytes of ${kind}`);
            return [kind, offset];
        }));
        return {
            snapshotId: (0,_snapshot_dir_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .stringField */ .OM)(root.snapshot_id, 'snapshot_id', /^([0-9a-f]{2})+$/),
            metadataUploaded: (0,_snapshot_dir_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .booleanField */ .hQ)(root.metadata_uploaded, 'metadata_uploaded'),
            offsets,
            chunksUploaded: new Set((0,_snapshot_dir_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .arrayField */ .e7)(root.wasm_chunks_uploaded, 'wasm_chunks_uploaded').map((hash, i) => (0,_snapshot_dir_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .stringField */ .OM)(hash, (0,_snapshot_dir_json_fields_js__WEBPACK_IMPORTED_MODULE_5__/* .join */ .fj)('wasm_chunks_uploaded', i), /^[0-9a-f]{64}$/)))
        };
    });
}
async function saveUploadProgress(file, progress) {
    const json = {
        snapshot_id: progress.snapshotId,
        metadata_uploaded: progress.metadataUploaded,
        wasm_module_offset: progress.offsets.wasm_module,
        wasm_memory_offset: progress.offsets.wasm_memory,
        stable_memory_offset: progress.offsets.stable_memory,
        wasm_chunks_uploaded: [...progress.chunksUploaded].sort()
    };
    await (0,_snapshot_dir_files_js__WEBPACK_IMPORTED_MODULE_3__/* .writeFileAtomic */ .Zf)(file, (0,_snapshot_dir_json_js__WEBPACK_IMPORTED_MODULE_4__/* .prettyJson */ .D_)(json));
}
// ---- both ----
async function removeProgress(dir, file) {
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, file), { force: true });
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, `${file}.tmp`), { force: true });
}
async function removeUploadProgress(file) {
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(file, { force: true });
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(`${file}.tmp`, { force: true });
}
async function load(dir, file, decode) {
    return loadFile((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, file), decode);
}
// A progress file lists offsets and chunk hashes: a few KiB at most.
const MAX_PROGRESS_BYTES = 1 << 20;
async function loadFile(path, decode) {
    let text;
    try {
        text = await (0,_snapshot_dir_files_js__WEBPACK_IMPORTED_MODULE_3__/* .readTextIfPresent */ .Ge)(path, MAX_PROGRESS_BYTES);
        if (text === undefined)
            return undefined;
        return decode((0,_snapshot_dir_json_js__WEBPACK_IMPORTED_MODULE_4__/* .parseJson */ .qF)(text));
    }
    catch (error) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_7__/* .TransferError */ .aG(`${path} cannot be resumed from: ${error.message}. Delete it to start the transfer over.`);
    }
}


/***/ }),

/***/ 87851:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   St: () => (/* binding */ progressLogger),
/* harmony export */   fl: () => (/* binding */ formatMB)
/* harmony export */ });
/* unused harmony export describeProgress */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
/* harmony import */ var _defaults_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(19429);
// Progress of a transfer: an event per finished slice, and a default listener that turns them into a log line
// every few seconds or every few percent.


function formatMB(bytes) {
    return `${(bytes / 1e6).toFixed(1)} MB`;
}
function describeProgress(p) {
    const percent = p.totalBytes > 0 ? Math.floor((p.doneBytes / p.totalBytes) * 100) : 100;
    const rate = p.elapsedSeconds > 0 ? p.transferredBytes / 1e6 / p.elapsedSeconds : 0;
    const verb = p.direction === 'download' ? 'Downloaded' : 'Uploaded';
    return `${verb} ${formatMB(p.doneBytes)} of ${formatMB(p.totalBytes)} (${percent} %), ${rate.toFixed(1)} MB/s`;
}
/** Logs every PROGRESS_LOG_SECONDS, at each further PROGRESS_LOG_PERCENT, and once at the end. */
function progressLogger(log = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq) {
    let lastSeconds = 0;
    let lastStep = 0;
    let finished = false;
    return progress => {
        if (finished)
            return;
        const percent = progress.totalBytes > 0 ? (progress.doneBytes / progress.totalBytes) * 100 : 100;
        const step = Math.floor(percent / _defaults_js__WEBPACK_IMPORTED_MODULE_1__/* .PROGRESS_LOG_PERCENT */ .JY);
        const done = progress.doneBytes >= progress.totalBytes;
        if (!done && step <= lastStep && progress.elapsedSeconds - lastSeconds < _defaults_js__WEBPACK_IMPORTED_MODULE_1__/* .PROGRESS_LOG_SECONDS */ .FM)
            return;
        finished = done;
        lastStep = step;
        lastSeconds = progress.elapsedSeconds;
        log(describeProgress(progress));
    };
}


/***/ }),

/***/ 14596:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   R: () => (/* binding */ ProgressSaver)
/* harmony export */ });
/* harmony import */ var _defaults_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(19429);
// Saves a progress file as work completes without writing it once per slice: one save at a time, at most one
// per PROGRESS_SAVE_INTERVAL_MS, always of the latest state.

class ProgressSaver {
    save;
    intervalMs;
    dirty = false;
    running;
    lastSave = 0;
    failure;
    wake;
    urgent = false;
    constructor(save, intervalMs = _defaults_js__WEBPACK_IMPORTED_MODULE_0__/* .PROGRESS_SAVE_INTERVAL_MS */ .j6) {
        this.save = save;
        this.intervalMs = intervalMs;
    }
    /** Marks the state changed; a save follows within the interval. */
    request() {
        this.dirty = true;
        this.running ??= this.loop().finally(() => (this.running = undefined));
    }
    /** Saves the latest state now and waits for it; throws if any save failed. */
    async flush() {
        this.urgent = true;
        try {
            if (this.dirty)
                this.request();
            this.wake?.();
            while (this.running)
                await this.running;
        }
        finally {
            this.urgent = false;
        }
        if (this.failure)
            throw this.failure.error;
    }
    async loop() {
        while (this.dirty) {
            const wait = this.urgent ? 0 : this.lastSave + this.intervalMs - Date.now();
            if (wait > 0) {
                await new Promise(resolve => {
                    const timer = setTimeout(resolve, wait);
                    this.wake = () => {
                        clearTimeout(timer);
                        resolve();
                    };
                });
                this.wake = undefined;
            }
            this.dirty = false;
            this.lastSave = Date.now();
            try {
                await this.save();
            }
            catch (error) {
                this.failure ??= { error };
            }
        }
    }
}


/***/ }),

/***/ 3368:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   nu: () => (/* binding */ slicesOf),
/* harmony export */   yz: () => (/* binding */ SliceProgress)
/* harmony export */ });
/* unused harmony export sliceSizeAt */
/* harmony import */ var _ic_snapshot_data_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9790);
// A memory is moved in slices of SLICE_SIZE bytes at fixed offsets (0, 2,000,000, …), the same cut icp-cli
// makes, so that either tool can resume what the other began.

/** Bytes of the slice at `offset` of a memory of `total` bytes (icp-cli `chunk_size_at`). */
function sliceSizeAt(offset, total) {
    return Math.max(0, Math.min(_ic_snapshot_data_js__WEBPACK_IMPORTED_MODULE_0__/* .SLICE_SIZE */ .tz, total - offset));
}
/** The slices of a memory from `from` on, for which `wanted` holds. */
function* slicesOf(kind, total, wanted = () => true, from = 0) {
    for (let offset = from; offset < total; offset += _ic_snapshot_data_js__WEBPACK_IMPORTED_MODULE_0__/* .SLICE_SIZE */ .tz) {
        if (wanted(offset))
            yield { kind, offset, size: sliceSizeAt(offset, total) };
    }
}
/**
 * Which slices of one memory are done: everything below `frontier`, plus the offsets in `ahead` (slices that
 * finished out of order). Exactly icp-cli's BlobDownloadProgress, whose JSON form it shares; an upload uses
 * only the frontier, the contiguous prefix icp-cli's upload progress records.
 */
class SliceProgress {
    total;
    frontier;
    ahead = new Set();
    constructor(total, frontier = 0, ahead = []) {
        this.total = total;
        this.frontier = frontier;
        for (const offset of ahead)
            this.complete(offset);
    }
    needs(offset) {
        return offset >= this.frontier && !this.ahead.has(offset);
    }
    complete(offset) {
        if (offset < this.frontier)
            return;
        if (offset > this.frontier) {
            this.ahead.add(offset);
            return;
        }
        this.frontier += sliceSizeAt(offset, this.total);
        while (this.ahead.delete(this.frontier))
            this.frontier += sliceSizeAt(this.frontier, this.total);
    }
    get doneBytes() {
        let bytes = this.frontier;
        for (const offset of this.ahead)
            bytes += sliceSizeAt(offset, this.total);
        return bytes;
    }
    get isComplete() {
        return this.frontier >= this.total;
    }
}


/***/ })

};

//# sourceMappingURL=8.index.js.map