import { describe, expect, it } from 'vitest';
import { classifyHttpPing, splitKeywords, urlActionWithExitCode } from '../../src/core/ping-classify.js';

const filters = {
  methods: '',
  filterHttpBody: true,
  filterDefaultFail: false,
  startKw: 'BEGIN',
  successKw: 'SUCCESS, OK ',
  failureKw: 'ERROR,,FATAL',
};
const body = (s: string) => Buffer.from(s);

describe('ping classification', () => {
  it('splits keywords on commas, trims them and drops empty ones', () => {
    expect(splitKeywords(' a , b,,c ,')).toEqual(['a', 'b', 'c']);
  });

  it('prefers failure over success over start keywords', () => {
    expect(classifyHttpPing('success', 'POST', body('SUCCESS but FATAL'), filters)).toBe('fail');
    expect(classifyHttpPing('fail', 'POST', body('BEGIN and OK'), filters)).toBe('success');
    expect(classifyHttpPing('success', 'POST', body('BEGIN'), filters)).toBe('start');
  });

  it('matches case-sensitively', () => {
    expect(classifyHttpPing('success', 'POST', body('error'), filters)).toBe('ign');
  });

  it('ignores or fails an unmatched body depending on filter_default_fail', () => {
    expect(classifyHttpPing('success', 'POST', body('meh'), filters)).toBe('ign');
    expect(classifyHttpPing('success', 'POST', body('meh'), { ...filters, filterDefaultFail: true })).toBe('fail');
  });

  it('keeps the URL action when body filtering is off', () => {
    expect(classifyHttpPing('log', 'GET', body('ERROR'), { ...filters, filterHttpBody: false })).toBe('log');
  });

  it('ignores non-POST requests of a POST-only check, before keywords', () => {
    expect(classifyHttpPing('fail', 'GET', body('ERROR'), { ...filters, methods: 'POST' })).toBe('ign');
    expect(classifyHttpPing('fail', 'POST', body('ERROR'), { ...filters, methods: 'POST' })).toBe('fail');
  });

  it('turns a non-zero exit_code field into a failure only on the plain success URL', () => {
    expect(urlActionWithExitCode('success', null, 2)).toBe('fail');
    expect(urlActionWithExitCode('success', null, 0)).toBe('success');
    expect(urlActionWithExitCode('success', 0, 2)).toBe('success');
    expect(urlActionWithExitCode('log', null, 2)).toBe('log');
  });
});
