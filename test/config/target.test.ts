import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardProduction, loadTargetFile } from '../../lib/config/target.js';
import { HarnessError } from '../../lib/errors/index.js';
import { amqpUrlWithCredentials } from '../../lib/verify/amqp-tap.js';

const dir = mkdtempSync(join(tmpdir(), 'qsl-target-'));
function file(content: unknown): string {
  const p = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}
const good = {
  name: 'staging-eu',
  environment: 'staging',
  gateway: 'https://api.staging.example.com/',
  admin: 'https://admin.staging.example.com',
  aws: { region: 'eu-west-1' },
  rollback: { command: './emergency-rollback.sh 1' },
};

describe('loadTargetFile', () => {
  it('accepts the example target and fills defaults', () => {
    const t = loadTargetFile('targets/staging.example.json');
    expect(t).toMatchObject({ name: 'staging-eu', sandbox: false, eventBus: 'qsl-core' });
    expect(loadTargetFile(file(good)).gateway).toBe('https://api.staging.example.com');
  });

  it('names the bad field and the fix', () => {
    const err = (() => {
      try {
        loadTargetFile(file({ ...good, aws: { region: 'Frankfurt' }, gateway: 'not a url' }));
      } catch (e) {
        return e as HarnessError;
      }
    })();
    expect(err).toBeInstanceOf(HarnessError);
    expect(err!.code).toBe('QSL_CONFIG_INVALID');
    expect(err!.message).toMatch(/aws\.region: expected an AWS region such as "eu-west-1"/);
    expect(err!.message).toMatch(/gateway: expected an absolute URL/);
    expect(err!.message).toMatch(/staging\.example\.json/);
  });

  it('rejects unknown keys, naming them', () => {
    expect(() => loadTargetFile(file({ ...good, gatway: 'x' }))).toThrow(/gatway/);
  });

  it('explains a missing file and broken JSON', () => {
    expect(() => loadTargetFile(join(dir, 'nope.json'))).toThrow(/does not exist/);
    expect(() => loadTargetFile(file('{ "name": '))).toThrow(/not valid JSON/);
  });
});

describe('guardProduction', () => {
  const prod = { ...loadTargetFile(file(good)), environment: 'production' };
  const intent = { load: true, faults: [], forcedFailures: false, rollbackDrill: true };

  it('refuses load and drills against production without the flag', () => {
    expect(() => guardProduction(prod, intent, false)).toThrow(/labelled production.*load, a rollback drill.*--i-know-this-is-production/);
  });

  it('allows them with the explicit flag, and always for non-production targets', () => {
    expect(() => guardProduction(prod, intent, true)).not.toThrow();
    expect(() => guardProduction({ ...prod, environment: 'staging' }, intent, false)).not.toThrow();
  });
});

describe('legacy (RabbitMQ) in a target file', () => {
  it('reads legacy.amqpUrl and the exchange (default qsl.events); the example names both', () => {
    expect(loadTargetFile('targets/staging.example.json').legacy).toEqual({
      amqpUrl: 'amqps://rabbitmq.staging.example.com',
      exchange: 'qsl.events',
    });
    expect(loadTargetFile(file({ ...good, legacy: { amqpUrl: 'amqp://mq.internal:5672' } })).legacy).toEqual({
      amqpUrl: 'amqp://mq.internal:5672',
      exchange: 'qsl.events',
    });
    expect(loadTargetFile(file(good)).legacy).toBeUndefined();
  });

  it('refuses credentials in the file and says where they go', () => {
    expect(() => loadTargetFile(file({ ...good, legacy: { amqpUrl: 'amqps://qsl:secret@mq.example.com' } }))).toThrow(
      /legacy\.amqpUrl: put no credentials in the target file: set QSL_AMQP_USER and QSL_AMQP_PASS/,
    );
    expect(() => loadTargetFile(file({ ...good, legacy: { amqpUrl: 'https://mq.example.com' } }))).toThrow(
      /legacy\.amqpUrl: expected an AMQP URL/,
    );
  });

  it('adds QSL_AMQP_USER / QSL_AMQP_PASS from the environment to the broker URL', () => {
    expect(amqpUrlWithCredentials('amqps://mq.example.com:5671/vhost', { QSL_AMQP_USER: 'qsl', QSL_AMQP_PASS: 'p@ss:w/rd' })).toBe(
      'amqps://qsl:p%40ss%3Aw%2Frd@mq.example.com:5671/vhost',
    );
    expect(amqpUrlWithCredentials('amqp://localhost', {})).toBe('amqp://localhost');
  });
});
