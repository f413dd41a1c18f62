import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { APP_PACKAGE_FILES } from '../../src/app-package/app-package.js';
import { CONFIG_DOCS, configSchema } from '../../src/config.js';

/**
 * The deployment files against the code: every app setting infra/main.bicep gives the web app is
 * one src/config.ts reads (or a documented App Service platform setting), every ${{VAR}} the
 * toolkit must fill is written by an earlier step of m365agents.yml, and every file they name
 * exists. There is no Bicep compiler or YAML parser in this project, so both files are read as
 * text: m365agents.yml with a small reader for the subset of YAML it uses (it refuses anything
 * else), main.bicep with patterns for its `var` objects, `param`s and `output`s.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** App Service settings read by the platform, not by the app (Kudu/Oryx build). */
const PLATFORM_SETTINGS = new Set(['SCM_DO_BUILD_DURING_DEPLOYMENT', 'PRUNE_DEV_DEPENDENCIES']);
/** Settings that hold secrets: their values must be Key Vault references. */
const SECRET_SETTINGS = new Set([
  'DATABASE_URL',
  'DATABASE_MIGRATION_URL',
  'BOT_PASSWORD',
  'GRAPH_CLIENT_SECRET',
]);
/** Variables the toolkit itself provides (or asks for) in every environment. */
const TOOLKIT_BUILT_INS = new Set([
  'TEAMSFX_ENV',
  'AZURE_SUBSCRIPTION_ID',
  'AZURE_RESOURCE_GROUP_NAME',
]);

// ------------------------------------------------------------------------------------------------
// A reader for the YAML subset of m365agents.yml: block mappings, block sequences of mappings,
// plain or quoted scalars, comments. Anchors, flow collections and multi-line scalars are refused.

type Yaml = string | Yaml[] | { [key: string]: Yaml };

interface Line {
  indent: number;
  text: string;
  number: number;
}

function yamlLines(source: string): Line[] {
  const lines: Line[] = [];
  source.split('\n').forEach((raw, i) => {
    const withoutComment = raw.replace(/(^|\s)#.*$/, '').trimEnd();
    if (withoutComment.trim() === '') return;
    if (/\t/.test(raw.slice(0, raw.length - raw.trimStart().length))) {
      throw new Error(`m365agents.yml:${i + 1}: tab in indentation`);
    }
    if (/(^|:\s+|^-\s+)[[{&*|>!]/.test(withoutComment.trim())) {
      throw new Error(`m365agents.yml:${i + 1}: YAML this reader does not support`);
    }
    lines.push({
      indent: raw.length - raw.trimStart().length,
      text: withoutComment.trim(),
      number: i + 1,
    });
  });
  return lines;
}

function scalar(text: string): string {
  const quoted = /^(['"])(.*)\1$/.exec(text);
  return quoted ? (quoted[2] ?? '') : text;
}

function parseBlock(lines: Line[], start: number, indent: number): { value: Yaml; next: number } {
  const first = lines[start];
  if (!first || first.indent < indent) return { value: '', next: start };
  if (first.text.startsWith('- ') || first.text === '-') {
    const items: Yaml[] = [];
    let i = start;
    while (
      i < lines.length &&
      lines[i]?.indent === first.indent &&
      lines[i]?.text.startsWith('-')
    ) {
      const line = lines[i] as Line;
      const rest = line.text.slice(1).trimStart();
      // "- key: value" opens a mapping whose keys sit at the column after "- ".
      const inner: Line[] = [{ indent: line.indent + 2, text: rest, number: line.number }];
      let j = i + 1;
      while (j < lines.length && (lines[j] as Line).indent > line.indent) {
        inner.push(lines[j] as Line);
        j += 1;
      }
      items.push(
        rest.includes(': ') || rest.endsWith(':')
          ? parseBlock(inner, 0, line.indent + 2).value
          : scalar(rest),
      );
      i = j;
    }
    return { value: items, next: i };
  }
  const map: Record<string, Yaml> = {};
  let i = start;
  while (i < lines.length && (lines[i] as Line).indent === first.indent) {
    const line = lines[i] as Line;
    const m = /^([A-Za-z0-9_$.-]+):(?:\s+(.*))?$/.exec(line.text);
    if (!m)
      throw new Error(`m365agents.yml:${line.number}: expected "key: value", got "${line.text}"`);
    const key = m[1] as string;
    if (key in map) throw new Error(`m365agents.yml:${line.number}: "${key}" twice`);
    if (m[2] !== undefined) {
      map[key] = scalar(m[2]);
      i += 1;
    } else {
      const child = parseBlock(lines, i + 1, first.indent + 1);
      map[key] = child.value;
      i = child.next;
    }
  }
  if (i < lines.length && (lines[i] as Line).indent > first.indent) {
    throw new Error(`m365agents.yml:${(lines[i] as Line).number}: unexpected indentation`);
  }
  return { value: map, next: i };
}

function parseYaml(source: string): Yaml {
  const lines = yamlLines(source);
  const { value, next } = parseBlock(lines, 0, 0);
  if (next !== lines.length) throw new Error(`m365agents.yml:${lines[next]?.number}: not read`);
  return value;
}

function asMap(value: Yaml | undefined, what: string): Record<string, Yaml> {
  if (value === undefined || typeof value === 'string' || Array.isArray(value)) {
    throw new Error(`${what} is not a mapping`);
  }
  return value;
}

function asList(value: Yaml | undefined, what: string): Yaml[] {
  if (!Array.isArray(value)) throw new Error(`${what} is not a list`);
  return value;
}

/** Every string in a YAML value, however deep. */
function strings(value: Yaml | undefined): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  return Object.values(value).flatMap(strings);
}

const placeholders = (text: string) =>
  [...text.matchAll(/\$\{\{([A-Za-z0-9_]+)\}\}/g)].map((m) => m[1] as string);

// ------------------------------------------------------------------------------------------------
// main.bicep as text

/** The app settings: the keys of the `var` objects the `appsettings` config resource unites. */
function bicepAppSettings(bicep: string): Map<string, string> {
  const config = /name: 'appsettings'\s*\n\s*properties: union\(([^)]*)\)/.exec(bicep);
  if (!config)
    throw new Error("main.bicep: no 'appsettings' config resource with properties: union(...)");
  const settings = new Map<string, string>();
  for (const varName of (config[1] as string).split(',').map((s) => s.trim())) {
    const start = bicep.search(new RegExp(`^var ${varName} = `, 'm'));
    if (start < 0) throw new Error(`main.bicep: var ${varName} not found`);
    const rest = bicep.slice(start);
    const end = rest.slice(1).search(/^(var|resource|module|output|param|\/\/ -)/m);
    const block = end < 0 ? rest : rest.slice(0, end + 1);
    for (const m of block.matchAll(/^\s+([A-Za-z_][A-Za-z0-9_]*): (.+)$/gm)) {
      settings.set(m[1] as string, (m[2] as string).trim());
    }
  }
  return settings;
}

/** What is wrong with the app settings, as sentences; empty when nothing is. */
function settingProblems(settings: Map<string, string>): string[] {
  const problems: string[] = [];
  const shape: Record<string, { safeParse(v: unknown): { success: boolean } }> = configSchema.shape;
  for (const [name, value] of settings) {
    if (PLATFORM_SETTINGS.has(name)) continue;
    if (!(name in CONFIG_DOCS)) {
      problems.push(`${name} is not a setting src/config.ts reads`);
      continue;
    }
    if (SECRET_SETTINGS.has(name) && !value.startsWith("'${keyVaultRef}")) {
      problems.push(`${name} holds a secret but is not a Key Vault reference`);
    }
    const literal = /^'([^'$]*)'$/.exec(value);
    if (literal && !shape[name]?.safeParse(literal[1]).success) {
      problems.push(`${name}: '${literal[1]}' is not a value src/config.ts accepts`);
    }
  }
  return problems;
}

const bicepParams = (bicep: string) =>
  [...bicep.matchAll(/^param (\w+) \w+( = .*)?$/gm)].map((m) => ({
    name: m[1] as string,
    required: m[2] === undefined,
  }));
const bicepOutputs = (bicep: string) =>
  [...bicep.matchAll(/^output (\w+) /gm)].map((m) => m[1] as string);

// ------------------------------------------------------------------------------------------------

const yml = read('m365agents.yml');
const project = asMap(parseYaml(yml), 'm365agents.yml');
const mainBicep = read('infra/main.bicep');

interface Step {
  uses: string;
  with: Record<string, Yaml>;
  writes: string[];
}

function steps(stage: string): Step[] {
  return asList(project[stage], stage).map((raw, i) => {
    const step = asMap(raw, `${stage}[${i}]`);
    const write = step.writeToEnvironmentFile;
    return {
      uses: String(step.uses),
      with: step.with === undefined ? {} : asMap(step.with, `${stage}[${i}].with`),
      writes:
        write === undefined
          ? []
          : Object.values(asMap(write, `${stage}[${i}].writeToEnvironmentFile`)).map(String),
    };
  });
}

/** What a step writes to the environment, including arm/deploy's outputs and the script's defaults. */
function written(step: Step): string[] {
  if (step.uses === 'arm/deploy') {
    return asList(step.with.templates, 'templates').flatMap((t) =>
      bicepOutputs(read(String(asMap(t, 'template').path))),
    );
  }
  if (step.uses === 'script') {
    // infra/scripts/ensure-env.mjs: the keys of its `defaults` object
    const script = /node (\S+\.mjs)/.exec(String(step.with.run))?.[1];
    const defaults = script
      ? /const defaults = \{([\s\S]*?)\n\};/.exec(read(script))?.[1]
      : undefined;
    return [...(defaults ?? '').matchAll(/^\s+([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1] as string);
  }
  return step.writes;
}

/** The files a step reads that may hold ${{VAR}} placeholders. */
function templatesOf(step: Step): string[] {
  const files: string[] = [];
  if (typeof step.with.manifestPath === 'string') files.push(step.with.manifestPath);
  if (step.uses === 'arm/deploy') {
    for (const t of asList(step.with.templates, 'templates')) {
      const parameters = asMap(t, 'template').parameters;
      if (typeof parameters === 'string') files.push(parameters);
    }
  }
  return files;
}

/** Variables a stage's steps need before they are written, as "VAR (file, step)". */
function unproducedVariables(stage: Step[], alreadySet: Set<string>): string[] {
  const known = new Set([...TOOLKIT_BUILT_INS, ...alreadySet]);
  const missing: string[] = [];
  for (const step of stage) {
    const needs = [
      ...strings(step.with).flatMap(placeholders),
      ...templatesOf(step).flatMap((f) => placeholders(read(f))),
    ];
    for (const name of needs) {
      if (!known.has(name)) missing.push(`${name} (${step.uses})`);
    }
    for (const name of written(step)) known.add(name);
  }
  return [...new Set(missing)];
}

/** Names with a value in a committed env file. */
function envFileValues(file: string): Set<string> {
  return new Set(
    [...read(file).matchAll(/^([A-Z0-9_]+)=(.+)$/gm)]
      .filter((m) => (m[2] as string).trim() !== '')
      .map((m) => m[1] as string),
  );
}

describe('m365agents.yml', () => {
  it('is a v1.x project file with provision, deploy and publish', () => {
    expect(project.version).toMatch(/^v1\.\d+$/);
    expect(yml).toContain(`m365-agents-toolkits/${String(project.version)}/yaml.schema.json`);
    expect(Object.keys(project)).toEqual(
      expect.arrayContaining(['environmentFolderPath', 'provision', 'deploy', 'publish']),
    );
    expect(steps('provision').map((s) => s.uses)).toEqual([
      'script',
      'teamsApp/create',
      'aadApp/create',
      'arm/deploy',
      'aadApp/update',
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
    ]);
    expect(steps('deploy').map((s) => s.uses)).toEqual([
      'cli/runNpmCommand',
      'cli/runNpmCommand',
      'azureAppService/zipDeploy',
    ]);
    expect(
      steps('publish')
        .map((s) => s.uses)
        .at(-1),
    ).toBe('teamsApp/publishAppPackage');
  });

  it('names only files that exist', () => {
    const named = ['provision', 'deploy', 'publish'].flatMap((stage) =>
      steps(stage).flatMap((s) => [
        ...['manifestPath', 'ignoreFile']
          .map((k) => s.with[k])
          .filter((v): v is string => typeof v === 'string'),
        ...(s.uses === 'arm/deploy'
          ? asList(s.with.templates, 'templates').flatMap((t) => {
              const template = asMap(t, 'template');
              return [String(template.path), String(template.parameters)];
            })
          : []),
        ...(s.uses === 'script' ? [/node (\S+)/.exec(String(s.with.run))?.[1] ?? 'no script'] : []),
      ]),
    );
    expect(named).toEqual(
      expect.arrayContaining([
        './infra/main.bicep',
        './infra/main.parameters.json',
        './appPackage/manifest.json',
        './infra/entra/aad.manifest.json',
      ]),
    );
    expect(named.filter((file) => !existsSync(path.join(root, file)))).toEqual([]);
    expect(existsSync(path.join(root, String(project.environmentFolderPath)))).toBe(true);
  });

  it('writes every ${{VAR}} of the manifest, the Entra manifest and the parameters before a step reads it', () => {
    const provision = steps('provision');
    expect(unproducedVariables(provision, new Set())).toEqual([]);
    // deploy and publish run after provision, with what it wrote
    const afterProvision = new Set(provision.flatMap(written));
    expect(unproducedVariables(steps('deploy'), afterProvision)).toEqual([]);
    expect(unproducedVariables(steps('publish'), afterProvision)).toEqual([]);
  });

  it('fills the same placeholders as npm run package, whose env/.env.dev they are written to', () => {
    const manifestVars = new Set(placeholders(read('appPackage/manifest.json')));
    expect([...manifestVars].sort()).toEqual([
      'APP_BASE_URL',
      'APP_DOMAIN',
      'BOT_ID',
      'TEAMS_APP_ID',
    ]);
    const fromProvision = new Set([
      ...steps('provision').flatMap(written),
      ...envFileValues('env/.env.dev'),
    ]);
    expect([...manifestVars].filter((v) => !fromProvision.has(v))).toEqual([]);
  });

  it('zips the same files as scripts/package-app.ts (the manifest and its two icons)', () => {
    const manifest = JSON.parse(read('appPackage/manifest.json')) as {
      icons: { color: string; outline: string };
    };
    expect(['manifest.json', manifest.icons.color, manifest.icons.outline].sort()).toEqual(
      [...APP_PACKAGE_FILES].sort(),
    );
  });

  it('reports a variable that no earlier step writes (the check can fail)', () => {
    const reordered = steps('provision').filter((s) => s.uses !== 'aadApp/create');
    expect(unproducedVariables(reordered, new Set())).toEqual(
      expect.arrayContaining(['BOT_ID (arm/deploy)', 'BOT_ID (teamsApp/validateManifest)']),
    );
  });

  it('refuses YAML it cannot read instead of guessing', () => {
    expect(() => parseYaml('provision:\n  - uses: a\n    with: { x: 1 }\n')).toThrow(
      /does not support/,
    );
    expect(() => parseYaml('a: 1\na: 2\n')).toThrow(/twice/);
  });
});

describe('infra/main.bicep', () => {
  const settings = bicepAppSettings(mainBicep);

  it('sets only settings that src/config.ts reads, secrets as Key Vault references', () => {
    expect(settingProblems(settings)).toEqual([]);
    expect([...settings.keys()]).toEqual(
      expect.arrayContaining([
        'DATABASE_URL',
        'DATABASE_MIGRATION_URL',
        'BOT_ID',
        'BOT_PASSWORD',
        'BOT_TENANT_ID',
        'BOT_TYPE',
        'TEAMS_APP_ID',
        'GRAPH_MANAGED_IDENTITY',
        'GRAPH_CLIENT_ID',
        'GRAPH_TENANT_ID',
        'GRAPH_CLIENT_SECRET',
        'SSO_APP_ID_URI',
        'DEMO_DATA',
      ]),
    );
    expect(settings.get('BOT_TYPE')).toBe("'SingleTenant'");
    expect(settings.get('DEMO_DATA')).toBe("'false'");
  });

  it('reports a renamed setting, a secret in clear and a value config.ts refuses (the check can fail)', () => {
    const renamed = bicepAppSettings(
      mainBicep.replace('  BOT_TENANT_ID: botTenantId', '  BOT_TENANT: botTenantId'),
    );
    expect(settingProblems(renamed)).toEqual(['BOT_TENANT is not a setting src/config.ts reads']);
    const inClear = new Map([['BOT_PASSWORD', 'botAppPassword']]);
    expect(settingProblems(inClear)).toEqual([
      'BOT_PASSWORD holds a secret but is not a Key Vault reference',
    ]);
    const badType = new Map([['BOT_TYPE', "'Multitenant'"]]);
    expect(settingProblems(badType)).toEqual([
      "BOT_TYPE: 'Multitenant' is not a value src/config.ts accepts",
    ]);
  });

  it('runs what npm run build produces, checked by the endpoints the app serves', () => {
    const build = JSON.parse(read('tsconfig.build.json')) as {
      compilerOptions: { rootDir: string; outDir: string };
    };
    const command = /appCommandLine: 'node (\S+)'/.exec(mainBicep)?.[1];
    expect(command).toBe(`${build.compilerOptions.outDir}/main.js`);
    expect(existsSync(path.join(root, build.compilerOptions.rootDir, 'main.ts'))).toBe(true);
    const http = read('src/http/create-http-app.ts');
    const health = /healthCheckPath: '([^']+)'/.exec(mainBicep)?.[1];
    expect(http).toContain(`app.get('${health}'`);
    expect(read('infra/modules/bot.bicep') + mainBicep).toContain(
      "messagingEndpoint: 'https://${appDomain}/api/messages'",
    );
    expect(http).toContain("app.post('/api/messages'");
    for (const setting of [
      "minTlsVersion: '1.2'",
      "ftpsState: 'Disabled'",
      'httpsOnly: true',
      'alwaysOn: true',
    ]) {
      expect(mainBicep).toContain(setting);
    }
  });

  it('has a value for every parameter without a default, and only parameters it declares', () => {
    const declared = bicepParams(mainBicep);
    const given = Object.keys(
      (JSON.parse(read('infra/main.parameters.json')) as { parameters: Record<string, unknown> })
        .parameters,
    );
    expect(given.filter((p) => !declared.some((d) => d.name === p))).toEqual([]);
    expect(
      declared.filter((d) => d.required && !given.includes(d.name)).map((d) => d.name),
    ).toEqual([]);
  });

  it('uploads what the server needs at run time', () => {
    const ignored = read('infra/.webappignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    const needed = [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'src/main.ts',
      'src/tab/client/main.tsx',
      'adaptive-cards/',
      'appPackage/manifest.json',
    ];
    const dropped = needed.filter((file) =>
      ignored.some(
        (pattern) =>
          file === pattern || file.startsWith(pattern.endsWith('/') ? pattern : `${pattern}/`),
      ),
    );
    expect(dropped).toEqual([]);
    expect(ignored).toEqual(expect.arrayContaining(['node_modules/', 'env/']));
  });
});
