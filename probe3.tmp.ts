import { Surreal } from 'surrealdb';
import { createNodeEngines } from '@surrealdb/node';
const c = new Surreal({ engines: createNodeEngines() });
await c.connect('mem://', { namespace: 'a', database: 'b' });
if (process.argv[2] === 'index') await c.query('DEFINE TABLE IF NOT EXISTS j SCHEMALESS; DEFINE INDEX IF NOT EXISTS j_run ON j FIELDS runId;');
else if (process.argv[2] === 'table') await c.query('DEFINE TABLE IF NOT EXISTS j SCHEMALESS;');
await c.close();
console.log('closed');
