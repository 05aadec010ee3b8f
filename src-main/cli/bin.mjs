#!/usr/bin/env node
// Entry for `ecgatk`, `npm start` and `npm run serve`. Plain JS so it can check the Node
// version before loading the TypeScript sources, which Node ≥ 22.18 runs directly.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(`ecgatk needs Node.js 22.18 or newer (24 LTS recommended); this is ${process.versions.node}.`);
  process.exit(1);
}
// Output piped into `head` and closed early is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
