import { describe, expect, it } from 'vitest';
import {
  badgeSignature,
  badgeSvg,
  badgeUrls,
  isValidBadgeSignature,
  shieldsJson,
  signatureWantsLate,
  summarizeBadge,
  tagPathSegment,
  textWidth,
} from '../../src/core/badge.js';

// The width table of spec §4.3, as written there.
const SPEC_WIDTHS =
  'a7 b7 c6 d7 e6 f4 g7 h7 i3 j3 k7 l3 m10 n7 o7 p7 q7 r4 s6 t5 u7 v7 w9 x6 y7 z7 ' +
  '0:7 1:6 2:7 3:7 4:7 5:7 6:7 7:7 8:7 9:7 ' +
  'A8 B7 C8 D8 E7 F6 G9 H8 I3 J4 K7 L6 M10 N8 O9 P6 Q9 R7 S7 T7 U8 V8 W11 X7 Y7 Z7 -:4 _:6';

const KEY = '7d6e1d3a-5c2b-4f3e-9a8b-1c2d3e4f5a6b';
const SECRET = 'a-test-secret-key-123456';
// Computed with Python: base64url(HMAC-SHA1(SHA1(KEY + SECRET), tag)) without padding.
const SIG_ALL = 'gEEsK3Tl';
const SIG_DB = 'ApujOxS8';

describe('textWidth', () => {
  it.each(SPEC_WIDTHS.split(' ').map((entry) => [entry[0] as string, Number(entry.replace(/^.:?/, ''))]))(
    'gives %s a width of %i',
    (char, width) => {
      expect(textWidth(char)).toBe(width);
    },
  );

  it('counts 7 for characters outside the table, one per code point', () => {
    expect(textWidth('@')).toBe(7);
    expect(textWidth('ü')).toBe(7);
    expect(textWidth('😀')).toBe(7);
    expect(textWidth(' ')).toBe(7);
  });

  it('adds up the widths of a text', () => {
    expect(textWidth('up')).toBe(14);
    expect(textWidth('late')).toBe(21);
    expect(textWidth('down')).toBe(30);
    expect(textWidth('Mychecks')).toBe(10 + 7 + 6 + 7 + 6 + 6 + 7 + 6);
  });
});

describe('badgeSvg', () => {
  it('sizes both halves from the text widths plus 10 and centres the texts', () => {
    const svg = badgeSvg('foo', 'up');
    // foo: 4+7+7+10 = 28; up: 14+10 = 24.
    expect(svg).toContain('<svg xmlns="http://www.w3.org/2000/svg" width="52" height="20"');
    expect(svg).toContain('<rect width="28" height="20" fill="#555"/>');
    expect(svg).toContain('<rect x="28" width="24" height="20" fill="#4c1"/>');
    expect(svg).toContain('<text x="14.0" y="15" fill="#010101" fill-opacity=".3">foo</text>');
    expect(svg).toContain('<text x="14.0" y="14">foo</text>');
    expect(svg).toContain('<text x="40.0" y="15" fill="#010101" fill-opacity=".3">up</text>');
    expect(svg).toContain('<text x="40.0" y="14">up</text>');
  });

  it('writes half-pixel centres with their fraction', () => {
    // "a": 7+10 = 17 → 8.5; "late": 21+10 = 31 → 17 + 15.5 = 32.5.
    const svg = badgeSvg('a', 'late');
    expect(svg).toContain('<text x="8.5" y="14">a</text>');
    expect(svg).toContain('<text x="32.5" y="14">late</text>');
  });

  it.each([
    ['up', '#4c1'],
    ['late', '#fe7d37'],
    ['down', '#e05d44'],
  ] as const)('paints %s with %s', (status, color) => {
    expect(badgeSvg('x', status)).toContain(`fill="${color}"/>`);
  });

  it('uses Verdana 11px, white text with a shadow', () => {
    expect(badgeSvg('x', 'up')).toContain(
      '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="11">',
    );
  });

  it('escapes markup in the label', () => {
    const svg = badgeSvg(`<b>&"'`, 'down');
    expect(svg).toContain('>&lt;b&gt;&amp;&quot;&#x27;</text>');
    expect(svg).not.toContain('<b>');
  });
});

describe('summarizeBadge', () => {
  it('is up with no checks', () => {
    expect(summarizeBadge([], true)).toEqual({ status: 'up', total: 0, grace: 0, down: 0 });
  });

  it('counts new, paused and started checks as up', () => {
    expect(summarizeBadge(['up', 'new', 'paused', 'started'], true)).toEqual({ status: 'up', total: 4, grace: 0, down: 0 });
  });

  it('is late with a check in grace on a 3-state badge, up on a 2-state one', () => {
    expect(summarizeBadge(['up', 'grace'], true)).toEqual({ status: 'late', total: 2, grace: 1, down: 0 });
    expect(summarizeBadge(['up', 'grace'], false)).toEqual({ status: 'up', total: 2, grace: 1, down: 0 });
  });

  it('is down with any check down, in any order, counting every check', () => {
    expect(summarizeBadge(['grace', 'down', 'up', 'down'], true)).toEqual({ status: 'down', total: 4, grace: 1, down: 2 });
    expect(summarizeBadge(['down', 'grace'], true)).toEqual({ status: 'down', total: 2, grace: 1, down: 1 });
    expect(summarizeBadge(['down'], false).status).toBe('down');
  });
});

describe('shieldsJson', () => {
  it.each([
    ['up', 'success'],
    ['late', 'important'],
    ['down', 'critical'],
  ] as const)('gives %s the colour %s', (status, color) => {
    expect(shieldsJson('db', status)).toEqual({ schemaVersion: 1, label: 'db', message: status, color });
  });
});

describe('badge signatures', () => {
  it('are the first 8 characters of Django base64_hmac(badge_key, tag, SECRET_KEY)', () => {
    expect(badgeSignature(KEY, '*', SECRET)).toBe(SIG_ALL);
    expect(badgeSignature(KEY, 'db@dc1', SECRET)).toBe(SIG_DB);
  });

  it('accept the signature with or without the -2 suffix, and compare only 8 characters', () => {
    expect(isValidBadgeSignature(KEY, '*', SIG_ALL, SECRET)).toBe(true);
    expect(isValidBadgeSignature(KEY, '*', `${SIG_ALL}-2`, SECRET)).toBe(true);
    expect(isValidBadgeSignature(KEY, '*', `${SIG_ALL}anything`, SECRET)).toBe(true);
  });

  it('refuse a tampered, shortened, foreign or other-tag signature', () => {
    expect(isValidBadgeSignature(KEY, '*', `${SIG_ALL.slice(0, 7)}x`, SECRET)).toBe(false);
    expect(isValidBadgeSignature(KEY, '*', SIG_ALL.slice(0, 7), SECRET)).toBe(false);
    expect(isValidBadgeSignature(KEY, '*', '', SECRET)).toBe(false);
    expect(isValidBadgeSignature(KEY, 'db@dc1', SIG_ALL, SECRET)).toBe(false);
    expect(isValidBadgeSignature(KEY, '*', SIG_ALL, 'another-secret-key-000')).toBe(false);
    expect(isValidBadgeSignature('another-badge-key', '*', SIG_ALL, SECRET)).toBe(false);
  });

  it('select the 2-state badge only for exactly 8 characters plus -2', () => {
    expect(signatureWantsLate('abcdefgh-2')).toBe(false);
    expect(signatureWantsLate('abcdefgh')).toBe(true);
    expect(signatureWantsLate('abcdefgh-3')).toBe(true);
    expect(signatureWantsLate('abcdefghi-2')).toBe(true);
    expect(signatureWantsLate('abcdefg-2')).toBe(true);
  });
});

describe('badge URLs', () => {
  it('double-encode special characters of a tag, as Healthchecks URL reversal does', () => {
    expect(tagPathSegment('db@dc1')).toBe('db%2540dc1');
    // Python: quote("db@dc1 ü~._-!*'()", safe="") == "db%40dc1%20%C3%BC~._-%21%2A%27%28%29"
    expect(tagPathSegment("db@dc1 ü~._-!*'()")).toBe('db%2540dc1%2520%25C3%25BC~._-%2521%252A%2527%2528%2529');
    expect(tagPathSegment('prod')).toBe('prod');
  });

  it('are the six URLs of a tag', () => {
    const base = `http://lookout.test/badge/${KEY}`;
    expect(badgeUrls({ badge_key: KEY }, 'db@dc1', SECRET, 'http://lookout.test')).toEqual({
      svg: `${base}/${SIG_DB}-2/db%2540dc1.svg`,
      svg3: `${base}/${SIG_DB}/db%2540dc1.svg`,
      json: `${base}/${SIG_DB}-2/db%2540dc1.json`,
      json3: `${base}/${SIG_DB}/db%2540dc1.json`,
      shields: `${base}/${SIG_DB}-2/db%2540dc1.shields`,
      shields3: `${base}/${SIG_DB}/db%2540dc1.shields`,
    });
  });

  it('leave the tag out for the all-checks badge', () => {
    const urls = badgeUrls({ badge_key: KEY }, '*', SECRET, 'http://lookout.test');
    expect(urls.svg).toBe(`http://lookout.test/badge/${KEY}/${SIG_ALL}-2.svg`);
    expect(urls.shields3).toBe(`http://lookout.test/badge/${KEY}/${SIG_ALL}.shields`);
  });
});
