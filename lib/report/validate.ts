/** Validation of a summary.json against schema/summary.schema.json (ajv, draft 2020-12). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { FormatsPlugin } from 'ajv-formats';

/** Absolute path of the summary schema. */
export const SUMMARY_SCHEMA_PATH = fileURLToPath(new URL('../../schema/summary.schema.json', import.meta.url));

// ajv-formats is CommonJS with `module.exports = plugin`; require() avoids the default-import interop dance.
const addFormats = createRequire(import.meta.url)('ajv-formats') as FormatsPlugin;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(SUMMARY_SCHEMA_PATH, 'utf8')) as object;
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** One readable line per error, always naming the field: `/criteria/0/measured: must be number,null`. */
function describe(e: ErrorObject): string {
  const at = e.instancePath || '(root)';
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'required') return `${at}: missing required field \`${String(p.missingProperty)}\``;
  if (e.keyword === 'additionalProperties') return `${at}: unknown field \`${String(p.additionalProperty)}\``;
  if (e.keyword === 'enum') return `${at}: ${e.message} (${JSON.stringify(p.allowedValues)})`;
  if (e.keyword === 'const') return `${at}: must be ${JSON.stringify(p.allowedValue)}`;
  return `${at}: ${e.message ?? e.keyword}`;
}

/** Checks a value against the summary schema; errors name the offending field. */
export function validateSummary(value: unknown): { ok: true } | { ok: false; errors: string[] } {
  const validate = validator();
  if (validate(value)) return { ok: true };
  return { ok: false, errors: [...new Set((validate.errors ?? []).map(describe))] };
}
