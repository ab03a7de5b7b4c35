// The check list read in pieces (CheckService.listInChunks over eachListedCheckChunk and the
// store's chunked array reader), on both databases: pieces of the asked size in id order, the
// tag filter applied per piece, and each check with its own sorted channels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckService } from '../../src/checks/service.js';
import type { CheckWithChannels } from '../../src/checks/service.js';
import { ManualClock } from '../../src/clock.js';
import type { CheckView } from '../../src/store/checks.js';
import type { Store } from '../../src/store/database.js';
import type { ProjectRow } from '../../src/store/schema.js';
import { seedProject } from '../alerts/support.js';
import { DIALECTS, newTestStore } from '../support/databases.js';
import { seedChecks } from '../support/seed-checks.js';

const CHECKS = 11;

describe.each(DIALECTS)('the check list in pieces on %s', (dialect) => {
  let store: Store;
  let project: ProjectRow;
  let service: CheckService;

  beforeAll(async () => {
    store = await newTestStore(dialect);
    project = await seedProject(store);
    // Tags alternate "prod backup" / "staging"; check i has the first 1 + (i % 3) channels.
    await seedChecks(store, project.id, { checks: CHECKS, channels: 3, pings: 0 });
    service = new CheckService(store, new ManualClock(Date.now()));
  });
  afterAll(async () => {
    await store?.close();
  });

  async function pieces(size: number, tags: string[] = []): Promise<CheckWithChannels<CheckView>[][]> {
    const out: CheckWithChannels<CheckView>[][] = [];
    await service.listInChunks(project, { tags }, size, (items) => out.push(items));
    return out;
  }

  it('hands over pieces of the asked size, in id order, the same checks as the whole list', async () => {
    const whole = await service.list(project, {});
    expect(whole.map((item) => item.check.name)).toEqual(Array.from({ length: CHECKS }, (_, i) => `check ${i}`));
    const inPieces = await pieces(4);
    expect(inPieces.map((piece) => piece.length)).toEqual([4, 4, 3]);
    expect(inPieces.flat()).toEqual(whole);
  });

  it('gives each check its own channels, sorted, and shares nothing wrongly between checks', async () => {
    const whole = await service.list(project, {});
    const counts = whole.map((item) => item.channels.length);
    expect(counts).toEqual(Array.from({ length: CHECKS }, (_, i) => 1 + (i % 3)));
    for (const item of whole) expect(item.channels).toEqual([...item.channels].sort());
    // Checks with the same channels list the same codes.
    expect(whole[0]?.channels).toEqual(whole[3]?.channels);
  });

  it('filters by tag within each piece and skips pieces left empty', async () => {
    const staging = await pieces(1, ['staging']);
    expect(staging.map((piece) => piece.map((item) => item.check.name))).toEqual(
      Array.from({ length: CHECKS }, (_, i) => i).filter((i) => i % 2 === 1).map((i) => [`check ${i}`]),
    );
    expect(await pieces(3, ['nothing-has-this'])).toEqual([]);
  });
});
