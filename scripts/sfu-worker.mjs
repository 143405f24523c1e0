#!/usr/bin/env node
// Finds or makes the mediasoup worker (the SFU's media process) for the installed mediasoup, and
// keeps it in a cache outside the work tree. In this order:
//   1. MEDIASOUP_WORKER_BIN, when it names an executable file;
//   2. the cache: $PETAMIGOS_CACHE_DIR, else $XDG_CACHE_HOME/petamigos, else ~/.cache/petamigos,
//      file mediasoup-worker-<version>-<platform>-<arch>;
//   3. mediasoup's own prebuilt worker, downloaded the way its postinstall does (a tarball in the
//      project's GitHub release), with a short timeout;
//   4. a build from the sources inside the npm package against the system's libraries (Debian
//      bookworm's), in a temporary folder, which takes minutes.
// Without a worker the SFU is unavailable (calls and live), the rest of PetAmigos works: that is
// not an install failure, so this exits 0 unless --require is given. A build that failed leaves
// `<cache file>.build-failed` (naming its kept folder), so the next `npm start` does not spend
// minutes on it again; --rebuild, or deleting that file, tries again.
//
//   node scripts/sfu-worker.mjs              find or make the worker
//   node scripts/sfu-worker.mjs --require    exit 1 when there is none in the end
//   node scripts/sfu-worker.mjs --rebuild    build again although an earlier build failed
//   node scripts/sfu-worker.mjs --cache-path print where the cached worker goes, and do nothing
//
// Plain Node.js with built-in modules only, like bootstrap.mjs. The cache path rule is repeated
// in sfu/worker.ts (the server's side cannot import this file); sfu/worker.test.ts keeps the two
// equal.
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { arch, homedir, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => process.stderr.write(`petamigos: sfu worker: ${line}\n`);

/** The cache file for a mediasoup version on this machine (the same rule as sfu/worker.ts). */
function cachedWorkerPath(version, env = process.env) {
  const dir = env.PETAMIGOS_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'petamigos');
  return join(dir, `mediasoup-worker-${version}-${platform()}-${arch()}`);
}

function isExecutableFile(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Whether a worker binary runs on this machine: started without MEDIASOUP_VERSION in its
 * environment, a mediasoup worker exits with 41 at once (its main.cpp); a binary whose shared
 * libraries are missing, or built for another system, exits otherwise. mediasoup's postinstall
 * checks its downloaded binary the same way.
 */
function runsHere(path) {
  const result = spawnSync(path, [], { env: {}, stdio: 'ignore', timeout: 10_000 });
  return result.status === 41;
}

/** Copies a file into the cache under a temporary name and renames it, so readers never see half of it. */
function storeInCache(from, target) {
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  cpSync(from, partial);
  renameSync(partial, target);
}

/** Reads one regular file out of a tar archive (ustar, as mediasoup's release tarballs are). */
function fileFromTar(tar, wanted) {
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const text = (start, length) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const name = [text(345, 155), text(0, 100)].filter(Boolean).join('/');
    const size = Number.parseInt(text(124, 12).trim() || '0', 8);
    const type = text(156, 1) || '0';
    const body = offset + 512;
    if (type === '0' && name.replace(/^\.\//, '') === wanted) return tar.subarray(body, body + size);
    offset = body + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

/** Tries mediasoup's prebuilt worker for this version and machine; returns whether it is now cached. */
async function downloadPrebuilt(version, target) {
  if (process.env.MEDIASOUP_SKIP_WORKER_PREBUILT_DOWNLOAD) {
    say('prebuilt download skipped (MEDIASOUP_SKIP_WORKER_PREBUILT_DOWNLOAD)');
    return false;
  }
  // The same URL as mediasoup 3.12's npm-scripts.mjs (downloadPrebuiltWorker), with its override.
  const base = process.env.MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL || 'https://github.com/versatica/mediasoup/releases/download';
  const url = `${base}/${version}/mediasoup-worker-${version}-${platform()}-${arch()}.tgz`;
  let tarball;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(15_000) });
    if (!response.ok) {
      say(`no prebuilt worker at ${url} (HTTP ${response.status})`);
      return false;
    }
    tarball = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    say(`prebuilt worker unreachable (${url}: ${error.cause?.code ?? error.cause?.message ?? error.message})`);
    return false;
  }
  const binary = fileFromTar(gunzipSync(tarball), 'mediasoup-worker');
  if (binary === undefined) {
    say(`the prebuilt tarball holds no mediasoup-worker (${url})`);
    return false;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'petamigos-sfu-prebuilt-'));
  try {
    const file = join(scratch, 'mediasoup-worker');
    writeFileSync(file, binary, { mode: 0o755 });
    if (!runsHere(file)) {
      say('the prebuilt worker does not run on this machine (C library or architecture); building instead');
      return false;
    }
    storeInCache(file, target);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  say(`downloaded mediasoup's prebuilt worker from ${url}`);
  return true;
}

// What the build needs, each with the Debian package that provides it.
const BUILD_TOOLS = [
  ['meson', 'meson'],
  ['ninja', 'ninja-build'],
  ['pkg-config', 'pkg-config'],
  ['c++', 'g++'],
  ['python3', 'python3'],
];
const BUILD_LIBRARIES = [
  ['libuv', 'libuv1-dev'],
  ['openssl', 'libssl-dev'],
  ['libsrtp2', 'libsrtp2-dev'],
  ['usrsctp', 'libusrsctp-dev'],
  ['nlohmann_json', 'nlohmann-json3-dev'],
  ['absl_flat_hash_map', 'libabsl-dev'],
];

function missingBuildPackages() {
  const onPath = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
  const missing = BUILD_TOOLS.filter(([command]) => !onPath(command)).map(([, pkg]) => pkg);
  if (missing.includes('pkg-config')) return [...missing, ...BUILD_LIBRARIES.map(([, pkg]) => pkg)];
  const hasModule = (module) => spawnSync('pkg-config', ['--exists', module], { stdio: 'ignore' }).status === 0;
  return [...missing, ...BUILD_LIBRARIES.filter(([module]) => !hasModule(module)).map(([, pkg]) => pkg)];
}

// The system libraries the build uses instead of mediasoup's subprojects. Declared once, before
// deps/libwebrtc/meson.build, which sees the same variables. Debian puts srtp.h in
// <includedir>/srtp2 and its pkg-config file does not say so; mediasoup includes <srtp.h>.
const SYSTEM_DEPENDENCIES = `
# PetAmigos: system libraries (pkg-config) instead of the subprojects' downloaded sources.
openssl_dep = dependency('openssl')
nlohmann_json_dep = dependency('nlohmann_json')
libuv_dep = dependency('libuv')
libsrtp2_pc = dependency('libsrtp2')
libsrtp2_dep = declare_dependency(
  dependencies: libsrtp2_pc,
  compile_args: '-I' + libsrtp2_pc.get_variable(pkgconfig: 'includedir') / 'srtp2',
)
usrsctp_dep = dependency('usrsctp')
absl_container_dep = declare_dependency(dependencies: [
  dependency('absl_flat_hash_map'),
  dependency('absl_flat_hash_set'),
  dependency('absl_btree'),
  dependency('absl_inlined_vector'),
])
absl_strings_dep = dependency('absl_strings')
absl_types_dep = dependency('absl_optional')
catch2_dep = dependency('catch2', required: false)
`;

// The variables SYSTEM_DEPENDENCIES defines, which `<x>_proj.get_variable('<name>')` becomes.
const SYSTEM_VARIABLES = new Set([
  'openssl_dep',
  'nlohmann_json_dep',
  'libuv_dep',
  'libsrtp2_dep',
  'usrsctp_dep',
  'absl_container_dep',
  'absl_strings_dep',
  'absl_types_dep',
  'catch2_dep',
]);

/**
 * Makes mediasoup's meson files use system libraries. Its meson.build fetches every dependency
 * as a subproject (sources downloaded through wraps, unreachable offline) and meson options
 * cannot switch that, so: the subproject() calls go, SYSTEM_DEPENDENCIES comes after the line
 * that gets the C++ compiler (before any use), and `<x>_proj.get_variable('<name>')` becomes the
 * variable `<name>`. The list of static libraries linked whole serves only the
 * libmediasoup-worker target, which is not built; it keeps only the project's own libwebrtc.
 * Debian bookworm's meson is 1.0.1; 3.12 asks for 1.1 without needing anything of it. Each edit
 * must find what it changes, or the build stops here with the file's name (another mediasoup).
 */
function patchMeson(workerDir) {
  const edit = (file, edits) => {
    const path = join(workerDir, file);
    let text = readFileSync(path, 'utf8');
    for (const [pattern, replacement] of edits) {
      const changed = text.replace(pattern, replacement);
      if (changed === text) throw new Error(`${file}: found no ${pattern} to patch (is this mediasoup 3.12?)`);
      text = changed;
    }
    writeFileSync(path, text);
  };
  // `<name>_proj = subproject(` at the start of a line, up to its closing `)`: Windows' wingetopt
  // is indented (inside an if) and stays.
  const subprojects = /^\w+_proj = subproject\(\n(?:.*\n)*?\)\n/gm;
  const variables = [/\w+_proj\.get_variable\('(\w+)'\)/g, (whole, name) => (SYSTEM_VARIABLES.has(name) ? name : whole)];
  edit('meson.build', [
    ["meson_version: '>= 1.1.0'", "meson_version: '>= 1.0.0'"],
    [subprojects, ''],
    ["cpp = meson.get_compiler('cpp')\n", (line) => line + SYSTEM_DEPENDENCIES],
    [/^link_whole = \[\n(?:.*\n)*?\]\n/m, 'link_whole = [libwebrtc]\n'],
    variables,
  ]);
  edit('deps/libwebrtc/meson.build', [[subprojects, ''], variables]);
}

/** Builds the worker from node_modules/mediasoup/worker; returns whether it is now cached. */
function build(target, rebuild) {
  const failedMarker = `${target}.build-failed`;
  if (existsSync(failedMarker) && !rebuild) {
    say(`not building it: an earlier build failed (${readFileSync(failedMarker, 'utf8').trim()}); --rebuild tries again`);
    return false;
  }
  const missing = missingBuildPackages();
  if (missing.length > 0) {
    say(`cannot build it: missing Debian packages ${missing.join(' ')} (apt-get install ${missing.join(' ')})`);
    return false;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'petamigos-sfu-build-'));
  const workerDir = join(scratch, 'worker');
  const logPath = join(scratch, 'build.log');
  cpSync(join(root, 'node_modules', 'mediasoup', 'worker'), workerDir, {
    recursive: true,
    filter: (source) => !/[/\\](out|prebuild)$/.test(source),
  });
  try {
    patchMeson(workerDir);
  } catch (error) {
    say(`cannot build it: ${error.message}`);
    rmSync(scratch, { recursive: true, force: true });
    return false;
  }
  say(`building it from mediasoup's sources (minutes: 4½ on 2 cores); log: ${logPath}`);
  const started = Date.now();
  const step = (command, args) => {
    const result = spawnSync(command, args, { cwd: workerDir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    writeFileSync(logPath, `$ ${command} ${args.join(' ')}\n${result.stdout ?? ''}${result.stderr ?? ''}\n`, { flag: 'a' });
    return result.status === 0;
  };
  const ok =
    step('meson', ['setup', '--wrap-mode=nodownload', '--buildtype=release', 'out/Release']) &&
    step('ninja', ['-C', 'out/Release', 'mediasoup-worker']);
  const binary = join(workerDir, 'out', 'Release', 'mediasoup-worker');
  if (!ok || !runsHere(binary)) {
    const tail = readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-15).join('\n');
    say(`the build failed after ${Math.round((Date.now() - started) / 1000)} s; its folder is kept: ${scratch}\n${tail}`);
    mkdirSync(dirname(failedMarker), { recursive: true });
    writeFileSync(failedMarker, `${new Date().toISOString()}, log ${logPath}\n`);
    return false;
  }
  storeInCache(binary, target);
  rmSync(failedMarker, { force: true });
  rmSync(scratch, { recursive: true, force: true });
  say(`built in ${Math.round((Date.now() - started) / 1000)} s`);
  return true;
}

async function main(args) {
  const required = args.includes('--require');
  const give = (reason) => {
    say(`${reason}; calls and live will be unavailable${required ? '' : ' (not an install failure)'}`);
    return required ? 1 : 0;
  };
  const packagePath = join(root, 'node_modules', 'mediasoup', 'package.json');
  if (!existsSync(packagePath)) return give('mediasoup is not installed');
  const { version } = JSON.parse(readFileSync(packagePath, 'utf8'));
  const target = cachedWorkerPath(version);
  if (args.includes('--cache-path')) {
    process.stdout.write(`${target}\n`);
    return 0;
  }

  // A node uses MEDIASOUP_WORKER_BIN when it is set, and only it; here a wrong one is said and the
  // cache is filled all the same, for when it is unset.
  const fromEnv = process.env.MEDIASOUP_WORKER_BIN;
  if (fromEnv) {
    if (isExecutableFile(fromEnv) && runsHere(fromEnv)) {
      say(`using MEDIASOUP_WORKER_BIN (${fromEnv})`);
      return 0;
    }
    say(`MEDIASOUP_WORKER_BIN (${fromEnv}) is not a mediasoup worker that runs here; looking for mediasoup ${version}'s worker elsewhere`);
  }

  if (isExecutableFile(target)) {
    if (runsHere(target)) {
      say(`cached: ${target}`);
      return 0;
    }
    say(`the cached worker does not run here any more (a system library changed?); replacing ${target}`);
    rmSync(target, { force: true });
  }
  if ((await downloadPrebuilt(version, target)) || build(target, args.includes('--rebuild'))) {
    say(`mediasoup ${version}'s worker is at ${target}`);
    return 0;
  }
  return give(`no worker for mediasoup ${version}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let code;
  try {
    code = await main(args);
  } catch (error) {
    // A full disk, a folder it may not write: still no reason to fail an install.
    say(`failed: ${error.message ?? error}; calls and live will be unavailable`);
    code = args.includes('--require') ? 1 : 0;
  }
  process.exit(code);
}
