// `npm run infra`: writes the plan's CloudFormation template, infra/aws/qsl-eventbridge.template.json, from the Stage 1
// topology (lib/stage1/template.ts). `npm run infra -- --check` exits 1 when the committed file is stale; a test does the same.
import './node-support.js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { STAGE1_TOPOLOGY, stage1Template, TEMPLATE_FILE } from '../lib/stage1/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const file = resolve(root, TEMPLATE_FILE);
// Formatted as `prettier --check` wants it, so the generated file passes the lint unchanged.
const text = await format(JSON.stringify(stage1Template(STAGE1_TOPOLOGY)), {
  ...(await resolveConfig(file)),
  filepath: file,
});
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = '';
  }
  if (current !== text) {
    console.error(`${TEMPLATE_FILE} is stale: run npm run infra and commit the result`);
    process.exitCode = 1;
  } else console.log(`${TEMPLATE_FILE} is up to date`);
} else {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote ${TEMPLATE_FILE}`);
}
