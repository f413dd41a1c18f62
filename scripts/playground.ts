/**
 * `npm run playground`: the bot on the embedded store with the demo council (`npm start`), and
 * Microsoft 365 Agents Playground pointed at it, so anyone can chat with it in a browser at
 * http://localhost:56150. Each runs in its own process; Ctrl+C stops both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';

const config = loadConfig();
const playgroundPort = process.env['PLAYGROUND_PORT'] ?? '56150';
const root = fileURLToPath(new URL('..', import.meta.url));
const children: ChildProcess[] = [];

function run(args: string[]): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: process.env });
  children.push(child);
  child.on('exit', (code) => {
    process.stderr.write(
      `playground: ${args.at(-1) === 'src/main.ts' ? 'the bot' : 'Agents Playground'} stopped (exit ${code})\n`,
    );
    stop(code ?? 1);
  });
  return child;
}

function stop(code: number): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
}

run(['--import', 'tsx', 'src/main.ts']);
const botUrl = `http://127.0.0.1:${config.PORT}`;
for (let i = 0; i < 120; i += 1) {
  const up = await fetch(`${botUrl}/healthz`).then(
    (r) => r.ok,
    () => false,
  );
  if (up) break;
  await new Promise((resolve) => setTimeout(resolve, 500));
}
run([
  'scripts/agents-playground.cjs',
  'start',
  '--app-endpoint',
  `${botUrl}/api/messages`,
  '--port',
  playgroundPort,
]);
process.stderr.write(
  `playground: open http://localhost:${playgroundPort} in a browser (you are Alex Wilber, an IRO; see .m365agentsplayground.yml)\n`,
);
process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));
