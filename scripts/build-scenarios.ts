// `npm run build`: bundle every scenario for k6.
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleScenarios } from '../lib/run/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bundles = await bundleScenarios(root);
for (const b of bundles) console.log(`${relative(root, b.source)} -> ${relative(root, b.bundle)}`);
console.log(`${bundles.length} scenario bundle(s) written`);
