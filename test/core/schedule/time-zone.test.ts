import { describe, expect, it } from 'vitest';
import { InvalidTimeZoneError } from '../../../src/core/schedule/errors.js';
import { zoneClock } from '../../../src/core/schedule/time-zone.js';

const HOUR = 3_600_000;
/** A wall time written like an instant: "2023-03-26T03:30" in local time. */
const wall = (local: string) => Date.parse(`${local}Z`);

// Europe/Riga: 03:00 EET → 04:00 EEST at 2023-03-26T01:00Z, 04:00 EEST → 03:00 EET at 2023-10-29T01:00Z.
describe('zoneClock', () => {
  const riga = zoneClock('Europe/Riga');

  it('reads the offset in winter and in summer', () => {
    expect(riga.offsetAt(Date.parse('2023-01-15T12:00:00Z'))).toBe(2 * HOUR);
    expect(riga.offsetAt(Date.parse('2023-07-15T12:00:00Z'))).toBe(3 * HOUR);
  });

  it('changes the offset at the exact second of the jump', () => {
    expect(riga.offsetAt(Date.parse('2023-03-26T00:59:59Z'))).toBe(2 * HOUR);
    expect(riga.offsetAt(Date.parse('2023-03-26T01:00:00Z'))).toBe(3 * HOUR);
  });

  it('finds the next offset change', () => {
    expect(riga.nextOffsetChange(Date.parse('2023-02-01T00:00:00Z'))).toBe(Date.parse('2023-03-26T01:00:00Z'));
  });

  it('finds no instant for a wall time inside a forward jump, and the jump that skipped it', () => {
    expect(riga.instantsAtWallTime(wall('2023-03-26T03:30'))).toEqual([]);
    expect(riga.jumpOver(wall('2023-03-26T03:30'))).toBe(Date.parse('2023-03-26T01:00:00Z'));
  });

  it('finds both instants of a wall time repeated by a backward jump', () => {
    expect(riga.instantsAtWallTime(wall('2023-10-29T03:30'))).toEqual([
      Date.parse('2023-10-29T00:30:00Z'),
      Date.parse('2023-10-29T01:30:00Z'),
    ]);
  });

  it('finds the single instant of an ordinary wall time', () => {
    expect(riga.instantsAtWallTime(wall('2023-07-01T12:00'))).toEqual([Date.parse('2023-07-01T09:00:00Z')]);
  });

  it('handles the date line jump of Pacific/Apia, which skipped 30 December 2011', () => {
    const apia = zoneClock('Pacific/Apia');
    expect(apia.instantsAtWallTime(wall('2011-12-30T12:00'))).toEqual([]);
    expect(apia.jumpOver(wall('2011-12-30T12:00'))).toBe(Date.parse('2011-12-30T10:00:00Z'));
  });

  it('treats UTC as never changing', () => {
    const utc = zoneClock('UTC');
    expect(utc.offsetAt(0)).toBe(0);
    expect(utc.nextOffsetChange(0)).toBe(Infinity);
  });

  it('rejects a zone the platform does not know', () => {
    expect(() => zoneClock('Mars/Olympus_Mons')).toThrow(InvalidTimeZoneError);
  });
});
