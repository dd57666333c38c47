// Imported first by every entry point. Node 20 is past end of life: say so once, plainly, instead
// of letting each AWS SDK client print its own multi-line warning.
const major = Number(process.versions.node.split('.')[0]);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
if (major < 22 && !process.env.QSL_QUIET_NODE_NOTICE) {
  process.stderr.write(`note: Node ${process.versions.node} is past end of life; the harness supports it, but prefer Node 22 or 24.\n`);
  process.env.QSL_QUIET_NODE_NOTICE = '1';
}
export {};
