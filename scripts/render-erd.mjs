#!/usr/bin/env node
/**
 * Renders every `*.mmd` in a directory to `.svg` and `.png` with Mermaid's own renderer
 * (`@mermaid-js/mermaid-cli`) in the system Chromium. mermaid-cli is heavy, so it is not
 * a dependency of schemac: it is installed on first use into `.schemac/tools` (override
 * with SCHEMAC_TOOLS), and puppeteer never downloads a browser of its own. Without
 * Chromium (CHROMIUM, default /usr/bin/chromium) rendering is skipped with a message.
 *
 * usage: node scripts/render-erd.mjs DIR
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const MERMAID_CLI = '@mermaid-js/mermaid-cli@11';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

function main(argv) {
  const dir = argv[0];
  if (dir === undefined || argv.length > 1) return fail('usage: node scripts/render-erd.mjs DIR', 2);
  const diagrams = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.mmd')).sort() : [];
  if (diagrams.length === 0) return fail(`render-erd: no .mmd files in ${dir}; run \`schemac erd --out ${dir}\` first`, 1);
  const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(chromium)) {
    console.log(`render-erd: rendering skipped: no Chromium at ${chromium} (install Debian's \`chromium\` package, or set CHROMIUM=/path/to/chromium).`);
    console.log(`render-erd: the Mermaid sources are in ${dir}/ (paste one into https://mermaid.live to view it).`);
    return 0;
  }
  const tools = path.resolve(process.env.SCHEMAC_TOOLS || path.join('.schemac', 'tools'));
  const mmdc = installMermaidCli(tools);
  if (mmdc === undefined) return 1;
  const config = path.join(tools, 'puppeteer-config.json');
  fs.writeFileSync(config, `${JSON.stringify({ executablePath: chromium, args: CHROMIUM_ARGS }, null, 2)}\n`);
  let failed = 0;
  for (const file of diagrams) failed += renderOne(mmdc, config, path.join(dir, file));
  return failed === 0 ? 0 : 1;
}

/** The path of `mmdc`, installing mermaid-cli into `tools` first if needed; undefined when that fails. */
function installMermaidCli(tools) {
  const mmdc = path.join(tools, 'node_modules', '.bin', 'mmdc');
  if (fs.existsSync(mmdc)) return mmdc;
  console.log(`render-erd: installing ${MERMAID_CLI} into ${tools} (once; it is not part of schemac's dependencies)`);
  fs.mkdirSync(tools, { recursive: true });
  const env = { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1', PUPPETEER_SKIP_CHROMIUM_DOWNLOAD: '1' };
  const npm = spawnSync('npm', ['install', '--prefix', tools, '--no-audit', '--no-fund', MERMAID_CLI], { stdio: 'inherit', env });
  if (npm.status === 0 && fs.existsSync(mmdc)) return mmdc;
  console.error(`render-erd: could not install ${MERMAID_CLI}; the Mermaid sources are still usable`);
  return undefined;
}

/** Renders one diagram to SVG and PNG next to it; resolves to the number of failures (0 or 1). */
function renderOne(mmdc, config, file) {
  const base = file.slice(0, -'.mmd'.length);
  for (const [out, extra] of [[`${base}.svg`, []], [`${base}.png`, ['--scale', '2']]]) {
    const r = spawnSync(mmdc, ['--input', file, '--output', out, '--puppeteerConfigFile', config, '--backgroundColor', 'white', '--quiet', ...extra], {
      encoding: 'utf8',
    });
    if (r.status !== 0) {
      console.error(`render-erd: ${file}: ${(r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n').slice(0, 8).join('\n')}`);
      return 1;
    }
    console.log(`Rendered ${out}`);
  }
  return 0;
}

function fail(message, code) {
  console.error(message);
  return code;
}

process.exitCode = main(process.argv.slice(2));
