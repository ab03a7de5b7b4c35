// Webhook: placeholders with Healthchecks' exact substitution rules, and the requests sent.
import { describe, expect, it } from 'vitest';
import { webhook } from '../../src/channels/webhook/index.js';
import { expandTemplate, pythonQuote, replacePlaceholders } from '../../src/channels/webhook/placeholders.js';
import { pythonJson } from '../../src/channels/webhook/python-json.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { CHECK_CODE, downAlert, expectTransportError, guardedHttp, testEnv, upAlert, useStandIn } from './fixtures.js';

describe('webhook placeholders', () => {
  it('formats JSON like Python’s json.dumps', () => {
    expect(pythonJson({ a: 1, b: [true, null, 'x'], c: { d: 'é😀\u007f\n"' } })).toBe(
      '{"a": 1, "b": [true, null, "x"], "c": {"d": "\\u00e9\\ud83d\\ude00\\u007f\\n\\""}}',
    );
    expect(pythonJson([])).toBe('[]');
    expect(pythonJson({})).toBe('{}');
  });

  it('percent-encodes like Python’s quote, keeping /', () => {
    expect(pythonQuote("a b/c?d=e&f#g!'()*~._-é")).toBe("a%20b/c%3Fd%3De%26f%23g%21%27%28%29%2A~._-%C3%A9");
  });

  it('replaces only placeholders written in the template, first listed wins', () => {
    const values: [string, string][] = [
      ['$NAME_JSON', '"x"'],
      ['$NAME', '$STATUS'],
      ['$STATUS', 'down'],
      ['$TAG1', 'one'],
      ['$TAGS', 'one two'],
    ];
    expect(replacePlaceholders('$NAME is $STATUS', values)).toBe('$STATUS is down');
    expect(replacePlaceholders('$NAME_JSON', values)).toBe('"x"');
    expect(replacePlaceholders('$$NAME', values)).toBe('$$STATUS');
    expect(replacePlaceholders('$TAG10 $TAGS $UNKNOWN $', values)).toBe('one0 one two $UNKNOWN $');
  });

  it('computes only the placeholders a template uses ($JSON renders the whole check)', () => {
    const alert = downAlert();
    Object.defineProperty(alert.check, 'json', {
      get() {
        throw new Error('the check was rendered');
      },
    });
    expect(expandTemplate('$CODE $STATUS', alert, 'body')).toBe(`${CHECK_CODE} down`);
    expect(() => expandTemplate('$JSON', alert, 'body')).toThrow('the check was rendered');
  });

  it('says it shows the check when any template of either status has $JSON', () => {
    const shows = (raw: unknown) => webhook.showsCheckJson?.(webhook.parseConfig(raw));
    expect(shows({ url_down: 'https://hooks.example/x', body_down: '$NAME is $STATUS' })).toBe(false);
    expect(shows({ url_down: 'https://hooks.example/x', method_down: 'POST', body_down: '{"check": $JSON}' })).toBe(true);
    expect(shows({ url_down: 'https://hooks.example/x', url_up: 'https://hooks.example/$JSON' })).toBe(true);
    expect(shows({ url_up: 'https://hooks.example/x', headers_up: { 'X-Check': '$JSON' } })).toBe(true);
  });

  it('fills every placeholder of §6.1', () => {
    const alert = downAlert();
    alert.check.name = 'Backup "ü"';
    alert.lastPing = { kind: 'fail', body: 'line1\nline2 ü', exitStatus: 3 };
    const template =
      '$CODE|$STATUS|$NOW|$NAME|$NAME_JSON|$SLUG|$TAGS|$TAG1|$TAG2|$TAG3|$JSON|$BODY|$BODY_JSON|$EXITSTATUS';
    expect(expandTemplate(template, alert, 'body')).toBe(
      `${CHECK_CODE}|down|2025-01-02T04:00:00+00:00|Backup "ü"|"Backup \\"\\u00fc\\""|nightly-backup|prod db|prod|db|$TAG3|` +
        '{"name": "Nightly backup", "slug": "nightly-backup", "tags": "prod db", "status": "down", "n_pings": 42, "grace": 3600}|' +
        'line1\nline2 ü|"line1\\nline2 \\u00fc"|3',
    );
  });

  it('percent-encodes values in URLs, leaves the ping body out of URLs and headers', () => {
    const alert = downAlert();
    alert.check.name = 'a b/ü';
    expect(expandTemplate('https://x/$NAME?n=$NAME_JSON&t=$TAGS&c=$CODE&now=$NOW&b=$BODY', alert, 'url')).toBe(
      `https://x/a%20b/%C3%BC?n=%22a%20b/%5Cu00fc%22&t=prod%20db&c=${CHECK_CODE}&now=2025-01-02T04%3A00%3A00%2B00%3A00&b=$BODY`,
    );
    expect(expandTemplate('$NAME $BODY', alert, 'header')).toBe('a b/ü $BODY');
  });

  it('writes non-latin-1 characters in headers as XML character references', () => {
    const alert = downAlert();
    alert.check.name = 'ü € 😀';
    expect(expandTemplate('X $NAME', alert, 'header')).toBe('X ü &#8364; &#128512;');
  });

  it('uses "" and -1 when there is no last ping', () => {
    const alert = downAlert();
    alert.lastPing = null;
    expect(expandTemplate('[$BODY][$BODY_JSON][$EXITSTATUS]', alert, 'body')).toBe('[][""][-1]');
  });
});

describe('webhook integration', () => {
  const stand = useStandIn();

  const config = () =>
    webhook.parseConfig({
      method_down: 'POST',
      url_down: `${stand.server.url}/down/$NAME?status=$STATUS`,
      body_down: '{"name": $NAME_JSON, "tags": "$TAGS", "body": $BODY_JSON, "exit": $EXITSTATUS}',
      headers_down: { 'X-Check': '$CODE', 'Content-Type': 'application/json' },
      method_up: 'GET',
      url_up: `${stand.server.url}/up?code=$CODE&tag=$TAG2`,
      body_up: 'not sent with GET',
      headers_up: {},
    });

  it('sends the down request with placeholders filled in', async () => {
    await webhook.send(config(), downAlert(), stand.env());
    const [request] = stand.server.requests;
    expect(request).toMatchObject({
      method: 'POST',
      path: '/down/Nightly%20backup',
      query: { status: 'down' },
      body: '{"name": "Nightly backup", "tags": "prod db", "body": "backup finished", "exit": 0}',
    });
    expect(request?.headers).toMatchObject({ 'x-check': CHECK_CODE, 'content-type': 'application/json', 'user-agent': 'Lookout' });
  });

  it('sends the up request without a body for GET', async () => {
    await webhook.send(config(), upAlert(), stand.env());
    const [request] = stand.server.requests;
    expect(request).toMatchObject({ method: 'GET', path: '/up', query: { code: CHECK_CODE, tag: 'db' }, body: '' });
    expect(request?.headers['content-type']).toBeUndefined();
  });

  it('is a no-op for a status without a URL', () => {
    const downOnly = webhook.parseConfig({ url_down: 'https://example.org/' });
    expect(webhook.isNoop(downOnly, 'down')).toBe(false);
    expect(webhook.isNoop(downOnly, 'up')).toBe(true);
    expect(downOnly).toMatchObject({ method_down: 'GET', method_up: 'GET', body_down: '', headers_down: {} });
  });

  it.each([
    [{}, 'configuration needs url_down or url_up'],
    [{ url_down: 'ftp://example.org/' }, 'url_down: must be an http or https URL'],
    [{ url_down: 'https://example.org/', method_down: 'DELETE' }, 'method_down: must be one of "GET", "POST", "PUT"'],
    [{ url_down: `https://example.org/${'x'.repeat(1000)}` }, 'url_down: must be at most 1000 characters long'],
    [{ url_down: 'https://example.org/', headers_down: { 'Bad Name': 'x' } }, "headers_down.Bad Name: header names may only contain letters, digits and !#$%&'*+-.^_`|~"],
    [{ url_down: 'https://example.org/', headers_down: { 'X-A': 'a\r\nb' } }, 'headers_down.X-A: header values must be on one line'],
    [{ url_down: 'https://example.org/', surprise: 1 }, 'configuration unknown field surprise'],
    ['https://example.org/', 'configuration must be a JSON object'],
  ])('rejects the configuration %j', (raw, message) => {
    expect(() => webhook.parseConfig(raw)).toThrow(new ChannelConfigError(message));
  });

  it('maps failures: any non-success status, refused private targets, switched off', async () => {
    stand.server.replyOnce({ status: 500, body: 'boom' });
    await expectTransportError(webhook.send(config(), downAlert(), stand.env()), 'Received status code 500');
    await expectTransportError(
      webhook.send(config(), downAlert(), testEnv(guardedHttp())),
      'Connections to private IP addresses are not allowed',
    );
    await expectTransportError(
      webhook.send(config(), downAlert(), stand.env({ WEBHOOKS_ENABLED: 'false' })),
      'Webhook notifications are not enabled',
    );
  });
});
