// The checks the SQLite ping writer has seen, as its last commit left them, so that a ping to a
// check it already knows costs no lookup (about a sixth of a ping's cost on the writer thread).
//
// A row here is only true while nothing else has written to the database. SQLite says when that
// changed: a connection's `data_version` moves whenever another connection (in this process or
// any other) commits. The writer reads it at the start of each write transaction, under the write
// lock, and forgets everything when it moved. Its own writes it applies itself: the rows a batch
// worked on are put back after the commit, and the rows of a batch that failed are forgotten.
import type { PingCheckRow } from '../store/ping-queries.js';

/** Rows kept at most; past that the cache starts again empty (a plain, bounded memory). */
const CHECK_CACHE_LIMIT = 50_000;

export class CheckCache {
  private readonly byCode = new Map<string, PingCheckRow>();
  private readonly byPingCode = new Map<string, PingCheckRow>();
  private version: number | null = null;

  constructor(private readonly limit = CHECK_CACHE_LIMIT) {}

  /**
   * Called with the connection's `data_version` at the start of each write transaction: when
   * another connection committed since the last call, every row is forgotten.
   */
  sync(dataVersion: number): void {
    if (dataVersion !== this.version) this.clear();
    this.version = dataVersion;
  }

  get(key: 'code' | 'ping_code', value: string): PingCheckRow | undefined {
    return (key === 'code' ? this.byCode : this.byPingCode).get(value);
  }

  /** Keeps a row as a committed write left it (the object itself: the caller no longer changes it). */
  put(row: PingCheckRow): void {
    if (this.byCode.size >= this.limit && !this.byCode.has(row.code)) this.clear();
    // A row whose ping code changed is only ever seen here after another connection wrote it,
    // which empties the cache first; so an old code cannot stay behind pointing at the row.
    this.byCode.set(row.code, row);
    this.byPingCode.set(row.ping_code, row);
  }

  /** Forgets a check (its row was changed by a statement the cache does not see). */
  forget(row: PingCheckRow): void {
    this.byCode.delete(row.code);
    this.byPingCode.delete(row.ping_code);
  }

  /** Forgets every row (after a write that failed, its rows may hold changes that were rolled back). */
  clear(): void {
    this.byCode.clear();
    this.byPingCode.clear();
  }

  get size(): number {
    return this.byCode.size;
  }
}
