/**
 * `npm run playground`: the bot on the embedded store with the demo council (`npm start`), and
 * Microsoft 365 Agents Playground pointed at it, so anyone can chat with it in a browser at
 * http://localhost:56150. Each runs in its own process; Ctrl+C stops both.
 *
 * PLAYGROUND_USER chooses who you are (alex, megan, adele, isaiah, patti, lynne, or a role such as
 * iro or sw; default alex). The committed .m365agentsplayground.yml is left alone: a copy with that
 * person as currentUser is written to a temporary folder, and the playground reads it through
 * M365_AGENTS_PLAYGROUND_CONFIG_PATH (the variable its CLI checks before the file in the cwd).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { choosePlaygroundUser, playgroundConfigFor } from './playground-user.js';

const choice = choosePlaygroundUser(process.env['PLAYGROUND_USER']);
if (!choice.ok) {
  process.stderr.write(`playground: ${choice.message}\n`);
  process.exit(2);
}
const me = choice.person;

const config = loadConfig();
const playgroundPort = process.env['PLAYGROUND_PORT'] ?? '56150';
const root = fileURLToPath(new URL('..', import.meta.url));
const committedConfig = join(root, '.m365agentsplayground.yml');
const configDir = mkdtempSync(join(tmpdir(), 'iro-playground-'));
const configPath = join(configDir, '.m365agentsplayground.yml');
writeFileSync(
  configPath,
  `# Written by npm run playground for PLAYGROUND_USER=${me.key} from ${committedConfig}\n` +
    playgroundConfigFor(readFileSync(committedConfig, 'utf8'), me),
);
process.once('exit', () => rmSync(configDir, { recursive: true, force: true }));

const children: ChildProcess[] = [];

function run(name: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env });
  children.push(child);
  child.on('exit', (code) => {
    process.stderr.write(`playground: ${name} stopped (exit ${code})\n`);
    if (name === 'Agents Playground' && code !== 0 && code !== null) {
      process.stderr.write(
        'playground: Agents Playground logs to devTools/m365agentsplayground.log\n',
      );
    }
    stop(code ?? 1);
  });
  return child;
}

function stop(code: number): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
}

run('the bot', ['--import', 'tsx', 'src/main.ts']);
const botUrl = `http://127.0.0.1:${config.PORT}`;
for (let i = 0; i < 120; i += 1) {
  const up = await fetch(`${botUrl}/healthz`).then(
    (r) => r.ok,
    () => false,
  );
  if (up) break;
  await new Promise((resolve) => setTimeout(resolve, 500));
}
run(
  'Agents Playground',
  [
    'scripts/agents-playground.cjs',
    'start',
    '--app-endpoint',
    `${botUrl}/api/messages`,
    '--port',
    playgroundPort,
  ],
  { ...process.env, M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath },
);
process.stderr.write(
  `playground: open http://localhost:${playgroundPort} in a browser (you are ${me.name}, ` +
    `${me.description}; PLAYGROUND_USER=alex|megan|adele|isaiah|patti|lynne chooses another)\n`,
);
process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));
