// Trunk post_build step: minifies the inline <script> of a page (the fallback for
// browsers that cannot run the app, public/boot.js) as plain ES5, the language of the
// old browsers it is there for. Trunk's own minifier would rewrite it as ES2015.
//
// Usage: node scripts/minify-inline-scripts.mjs PAGE.html  (rewrites the file)
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// esbuild is installed by scripts/setup.sh under .tools (on PATH through scripts/env.sh).
const require = createRequire(new URL('../.tools/node_modules/', import.meta.url));
const esbuild = require('esbuild');

const file = process.argv[2];
const page = readFileSync(file, 'utf8');
const minified = page.replace(/<script>([\s\S]*?)<\/script>/g, (_, code) =>
  `<script>${esbuild.transformSync(code, { minify: true, target: 'es5' }).code.trim()}</script>`);
writeFileSync(file, minified);
