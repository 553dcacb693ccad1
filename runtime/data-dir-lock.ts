/**
 * The embedded database is one process's at a time. PGlite keeps a whole PostgreSQL in the
 * process; two processes on one data folder (an app and `schemac migrate`, two replicas on
 * one volume) each write the files as if alone and corrupt the catalogs. So whoever opens a
 * folder first holds `<folder>.lock`, made by an atomic link of a complete file (never seen
 * half written), naming its pid, host, process start and the time it took the folder;
 * others wait for it, then give up naming that pid. A lock whose process is gone (same
 * host: no such pid, or the pid now belongs to a later process) is taken over, one taker
 * at a time; a lock of another host is never taken over, as its process cannot be seen.
 * The lock goes when the instance closes, or at the latest when the process exits.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeDirs } from '../compiler/shared/index.ts';

/** A DataDirHolder is who holds a data folder: what its lock file says. */
export interface DataDirHolder {
  readonly pid: number;
  readonly hostname: string;
  /** When it took the folder (ISO time). */
  readonly since: string;
  /** The process's start as the kernel counts it (Linux), to tell a reused pid from the holder. */
  readonly processStart?: string;
  readonly token: string;
}

/** DataDirLockOptions: how long to wait for another holder (default 60 s), and a call when the wait starts. */
export interface DataDirLockOptions {
  readonly waitMs?: number;
  readonly onWait?: (holder: DataDirHolder, lockFile: string) => void;
}

/** A DataDirLock is a held folder; `release()` gives it up (again: does nothing). */
export interface DataDirLock {
  readonly lockFile: string;
  release(): void;
}

/** The error when the wait runs out: `holder` has the folder. */
export interface DataDirInUseError extends Error {
  readonly code: 'SCHEMAC_DATA_DIR_IN_USE';
  readonly dataDir: string;
  readonly holder: DataDirHolder;
  readonly waitedMs: number;
}

/** The default wait for another process's hold on a data folder. */
export const DEFAULT_DATA_DIR_WAIT_MS = 60_000;

/** The lock file of a data folder: beside it, so the folder itself holds only what PostgreSQL writes. */
export function lockFileOf(dataDir: string): string {
  return `${path.resolve(dataDir)}.lock`;
}

/** Who holds a lock file that is not schemac's (named when the wait runs out). */
const UNKNOWN: DataDirHolder = { pid: 0, hostname: '?', since: '?', token: '' };

/** Locks held by this process: lock file → token. */
const held = new Map<string, string>();

/**
 * Takes the data folder, waiting up to `waitMs` for another holder; rejects with a
 * `DataDirInUseError` naming the holder when the wait runs out.
 */
export async function lockDataDir(dataDir: string, options: DataDirLockOptions = {}): Promise<DataDirLock> {
  const lockFile = lockFileOf(dataDir);
  makeDirs(path.dirname(lockFile));
  const waitMs = options.waitMs ?? DEFAULT_DATA_DIR_WAIT_MS;
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    const mine = tryCreate(lockFile);
    if (mine !== undefined) return hold(lockFile, mine);
    const holder = readHolder(lockFile);
    if (holder === 'gone') continue;
    const stale = holder === undefined || isStale(lockFile, holder);
    if (stale && breakStale(lockFile, holder?.token)) continue;
    if (Date.now() >= deadline) throw inUse(dataDir, holder ?? UNKNOWN, waitMs);
    if (!told && !stale) options.onWait?.(holder, lockFile);
    told ||= !stale;
    await new Promise((r) => setTimeout(r, 100 + Math.random() * 150));
  }
}

/** "the embedded database in DIR is in use by pid N (since …)": the sentence every message about a held folder uses. */
export function describeHolder(dir: string, holder: DataDirHolder): string {
  const host = holder.hostname === os.hostname() ? '' : ` on host ${holder.hostname}`;
  const self = holder.pid === process.pid && holder.hostname === os.hostname() ? ', this process' : '';
  return `the embedded database in ${dir} is in use by pid ${holder.pid}${host}${self} (since ${holder.since})`;
}

/** True for the error `lockDataDir` rejects with when the wait runs out. */
export function isDataDirInUse(e: unknown): e is DataDirInUseError {
  return e instanceof Error && (e as { code?: unknown }).code === 'SCHEMAC_DATA_DIR_IN_USE';
}

/** Why the wait ran out, naming the holder; `dir` as the reader should see it (the lock file is `<dir>.lock`). */
export function inUseMessage(dir: string, holder: DataDirHolder, waitedMs: number): string {
  const gone = holder.hostname === os.hostname() ? '' : `; if that process is gone, delete ${dir}.lock`;
  return `${describeHolder(dir, holder)}; gave up after waiting ${seconds(waitedMs)}${gone}`;
}

function inUse(dataDir: string, holder: DataDirHolder, waitedMs: number): DataDirInUseError {
  return Object.assign(new Error(inUseMessage(dataDir, holder, waitedMs)), { code: 'SCHEMAC_DATA_DIR_IN_USE' as const, dataDir, holder, waitedMs });
}

/** A wait in words: `500 ms`, `3 s`. */
export function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

/** Creates the lock file with this process's holder, complete or not at all: its token, or undefined when it exists. */
function tryCreate(lockFile: string): string | undefined {
  const token = randomBytes(12).toString('hex');
  const holder: DataDirHolder = { pid: process.pid, hostname: os.hostname(), since: new Date().toISOString(), processStart: processStart(process.pid), token };
  const temp = `${lockFile}.${process.pid}.${token}`;
  fs.writeFileSync(temp, `${JSON.stringify(holder)}\n`, { flag: 'wx' });
  try {
    fs.linkSync(temp, lockFile);
    return token;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw e;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** The lock file's holder; `gone` when it vanished meanwhile, undefined when it is not one schemac wrote. */
function readHolder(lockFile: string): DataDirHolder | 'gone' | undefined {
  let text: string;
  try {
    text = fs.readFileSync(lockFile, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw e;
  }
  try {
    const h = JSON.parse(text) as DataDirHolder;
    return Number.isInteger(h.pid) && typeof h.hostname === 'string' && typeof h.token === 'string' && typeof h.since === 'string' ? h : undefined;
  } catch {
    return undefined;
  }
}

/** A holder on this host whose process is gone: no such pid, a later process with its pid, or this pid in a former life. */
function isStale(lockFile: string, holder: DataDirHolder): boolean {
  if (holder.hostname !== os.hostname()) return false;
  if (holder.pid === process.pid) return held.get(lockFile) !== holder.token;
  if (!alive(holder.pid)) return true;
  const start = processStart(holder.pid);
  return start !== undefined && holder.processStart !== undefined && start !== holder.processStart;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** When a process started, in clock ticks since boot (field 22 of Linux's /proc/PID/stat); undefined elsewhere. */
function processStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/**
 * Removes a stale lock file, one taker at a time (`<lock>.break`, made exclusively): a
 * second taker that saw the same stale lock finds a new holder's file instead and keeps it.
 * False when another taker is at it (try again after a pause).
 */
function breakStale(lockFile: string, staleToken: string | undefined): boolean {
  const breaker = `${lockFile}.break`;
  try {
    fs.writeFileSync(breaker, `${process.pid}\n`, { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const age = Date.now() - (fs.statSync(breaker, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > BREAKER_STALE_MS) fs.rmSync(breaker, { force: true });
    return false;
  }
  try {
    const now = readHolder(lockFile);
    if (now !== 'gone' && (now === undefined ? staleToken === undefined : now.token === staleToken)) fs.rmSync(lockFile, { force: true });
    return true;
  } finally {
    fs.rmSync(breaker, { force: true });
  }
}

/** A taker dies between making `.break` and removing it only if killed in that instant; its `.break` is ignored after this. */
const BREAKER_STALE_MS = 5_000;

function hold(lockFile: string, token: string): DataDirLock {
  held.set(lockFile, token);
  if (held.size === 1) process.on('exit', releaseAll);
  return { lockFile, release: () => release(lockFile, token) };
}

function release(lockFile: string, token: string): void {
  if (held.get(lockFile) !== token) return;
  held.delete(lockFile);
  if (held.size === 0) process.off('exit', releaseAll);
  const holder = readHolder(lockFile);
  if (holder !== 'gone' && holder?.token === token) fs.rmSync(lockFile, { force: true });
}

function releaseAll(): void {
  for (const [lockFile, token] of [...held]) release(lockFile, token);
}
