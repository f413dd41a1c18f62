import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AzureTypes, checkBicep, type BicepProblem } from '../../scripts/bicep-check.js';

/**
 * scripts/bicep-check.ts stands in for `bicep build` on a machine without it. Its own tests: the
 * project's infra/ passes, and every kind of mistake it claims to find is found in a small file
 * written for it. The resource types are a made-up provider (test/fixtures/bicep-types) in the
 * format of Azure's published ones, so the test needs no download.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtureTypes = new AzureTypes(path.join(root, 'test/fixtures/bicep-types/generated'));
const scratch = mkdtempSync(path.join(tmpdir(), 'bicep-check-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let count = 0;
/** Writes `files` (the first is the entry) to a fresh folder and checks them. */
async function check(files: Record<string, string>, withTypes = true): Promise<string[]> {
  const dir = path.join(scratch, String((count += 1)));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  const entry = path.join(dir, Object.keys(files)[0]!);
  const { problems } = await checkBicep(entry, withTypes ? { azureTypes: fixtureTypes } : {});
  return problems.map((p: BicepProblem) => `${path.relative(dir, p.file)}:${p.line} ${p.message}`);
}

/** A widget deployed elsewhere, as `w`. */
const EXISTING_WIDGET = [
  "resource w 'Contoso.Widgets/widgets@2025-01-01' existing = {",
  "  name: 'w'",
  '}',
];

const widget = (properties: string, extra = '') => `
resource w 'Contoso.Widgets/widgets@2025-01-01' = {
  name: 'w1'
  location: 'uksouth'${extra}
  properties: {
${properties}
  }
}
output id string = w.id
`;

describe('the Bicep check', () => {
  it("finds nothing in the project's infra/ (main.bicep and its modules)", async () => {
    const report = await checkBicep(path.join(root, 'infra/main.bicep'));
    expect(report.problems).toEqual([]);
    expect(report.files.map((file) => path.relative(root, file)).sort()).toEqual([
      'infra/main.bicep',
      'infra/modules/bot.bicep',
      'infra/modules/network.bicep',
      'infra/modules/postgres.bicep',
    ]);
  });

  it('refuses a syntax error, with its line', async () => {
    expect(await check({ 'main.bicep': "param a string = 'x'\nvar b = {\n  c: a\n" })).toEqual([
      expect.stringMatching(/^main\.bicep:\d+ syntax error/),
    ]);
  });

  it('refuses names never declared, declared twice or never used, and unknown functions', async () => {
    const problems = await check({
      'main.bicep': [
        '@minLen(2)',
        'param a string',
        'param unused string',
        "var a = 'again'",
        "var b = toLowr('${a}-${c}')",
        'output o string = b',
      ].join('\n'),
    });
    expect(problems).toEqual([
      'main.bicep:1 @minLen is not a Bicep decorator',
      'main.bicep:3 param unused is declared but never used',
      'main.bicep:4 a is declared twice',
      'main.bicep:5 toLowr() is not a Bicep function',
      'main.bicep:5 c is not declared',
    ]);
  });

  it("refuses a param's default of another type", async () => {
    expect(await check({ 'main.bicep': "param n int = '3'\noutput o int = n" })).toEqual([
      'main.bicep:1 the default of n is a string, not an int',
    ]);
  });

  it('checks a module: its file, its params (unknown, required) and its outputs', async () => {
    const module =
      "param needed string\nparam optional string = 'x'\nparam maybe string?\noutput out string = '${needed}${optional}${maybe}'";
    const problems = await check({
      'main.bicep': [
        "module m 'modules/m.bicep' = {",
        "  name: 'm'",
        "  params: { optinal: 'y', needed: true, maybe: other }",
        "  location: 'uksouth'",
        '}',
        "module gone 'modules/gone.bicep' = {",
        "  name: 'gone'",
        '}',
        'output a string = m.outputs.out',
        'output b string = m.outputs.missing',
        'output c string = m.properties',
        'param other int',
        "module m2 'modules/m.bicep' = {",
        "  name: 'm2'",
        '  params: {}',
        '}',
      ].join('\n'),
      'modules/m.bicep': module,
    });
    expect(problems).toEqual([
      'main.bicep:3 modules/m.bicep has no param optinal',
      'main.bicep:3 param needed of modules/m.bicep is a string, not a boolean',
      'main.bicep:3 param maybe of modules/m.bicep is a string, not a number',
      'main.bicep:4 a module has no location',
      'main.bicep:6 module file modules/gone.bicep does not exist',
      'main.bicep:10 module m has no output missing',
      'main.bicep:11 a module has outputs and name, not properties',
      'main.bicep:13 modules/m.bicep needs param needed',
    ]);
  });

  it('reports what it does not read instead of passing over it', async () => {
    const problems = await check({
      'main.bicep':
        'param names array\nvar upper = [for n in names: toUpper(n)]\noutput o array = upper',
    });
    expect(problems).toEqual(['main.bicep:2 for_statement is not read by this check']);
  });

  it('passes a resource written as its type says', async () => {
    const problems = await check({
      'main.bicep':
        '@secure()\nparam key string\n' +
        widget(
          "    size: 10\n    mode: 'Slow'\n    label: 'abcde'\n    enabled: true\n    parts: [\n      { count: 1 }\n    ]\n    secret: key\n    code: 'abc'",
          "\n  tags: { any: 'thing' }",
        ),
    });
    expect(problems).toEqual([]);
  });

  it('refuses properties the type lacks, read-only ones, and a missing required one', async () => {
    const problems = await check({
      'main.bicep': widget(
        "    mode: 'Fast'\n    sise: 3\n    state: 'on'\n    parts: [\n      {}\n    ]",
        '\n  zone: 1',
      ),
    });
    expect(problems).toEqual([
      'main.bicep:5 warning Contoso.Widgets/widgets@2025-01-01: Contoso.Widgets/widgets has no property zone',
      'main.bicep:8 warning Contoso.Widgets/widgets@2025-01-01.properties: WidgetProperties has no property sise',
      'main.bicep:9 warning Contoso.Widgets/widgets@2025-01-01.properties: state is read-only',
      'main.bicep:11 warning Contoso.Widgets/widgets@2025-01-01.properties.parts[]: Part needs count',
    ]);
    const noProperties = await check({
      'main.bicep':
        "resource w 'Contoso.Widgets/widgets@2025-01-01' = {\n  name: 'w'\n}\noutput id string = w.id",
    });
    expect(noProperties).toEqual([
      'main.bicep:1 warning Contoso.Widgets/widgets@2025-01-01: Contoso.Widgets/widgets needs properties',
    ]);
  });

  it('refuses literals of the wrong type, out of range or outside an enumeration, also through a var or a param', async () => {
    const problems = await check({
      'main.bicep':
        "param on string = 'yes'\nvar big = 11\n" +
        widget(
          "    mode: 'Quick'\n    size: big\n    label: 'abcdef'\n    enabled: on\n    parts: { count: 1 }",
        ),
    });
    expect(problems).toEqual([
      "main.bicep:8 warning Contoso.Widgets/widgets@2025-01-01.properties.mode: 'Quick' is not one of 'Fast', 'Slow'",
      'main.bicep:9 warning Contoso.Widgets/widgets@2025-01-01.properties.size: 11 is above 10 (var big)',
      "main.bicep:10 warning Contoso.Widgets/widgets@2025-01-01.properties.label: 'abcdef' is longer than 5",
      'main.bicep:11 warning Contoso.Widgets/widgets@2025-01-01.properties.enabled: a string where a boolean is expected',
      'main.bicep:12 warning Contoso.Widgets/widgets@2025-01-01.properties.parts: an object where an array is expected',
    ]);
  });

  it('checks both branches of a condition', async () => {
    const problems = await check({
      'main.bicep': 'param fast bool\n' + widget("    mode: fast ? 'Fast' : 'Slowly'"),
    });
    expect(problems).toEqual([
      "main.bicep:7 warning Contoso.Widgets/widgets@2025-01-01.properties.mode: 'Slowly' is not one of 'Fast', 'Slow'",
    ]);
  });

  it("picks a discriminated type's element by its literal (as a site's config by its name)", async () => {
    const settings = (name: string, body: string) => `
resource w 'Contoso.Widgets/widgets@2025-01-01' existing = {
  name: 'w'
}
resource s 'Contoso.Widgets/widgets/settings@2025-01-01' = {
  parent: w
  name: '${name}'
  properties: { ${body} }
}`;
    expect(await check({ 'main.bicep': settings('colour', "hue: 'red'") })).toEqual([]);
    expect(await check({ 'main.bicep': settings('shape', "hue: 'red'") })).toEqual([
      'main.bicep:8 warning Contoso.Widgets/widgets/settings@2025-01-01.properties: Shape has no property hue',
    ]);
    expect(await check({ 'main.bicep': settings('Colour', "hue: 'red'") })).toEqual([
      "main.bicep:7 Contoso.Widgets/widgets/settings@2025-01-01: name 'Colour' is not one of colour, shape",
    ]);
  });

  it('refuses an unpublished resource type or API version, and reads of properties a resource lacks', async () => {
    const problems = await check({
      'main.bicep': [
        "resource a 'Contoso.Widgets/widgets@2024-01-01' = {",
        "  name: 'a'",
        '}',
        "resource b 'Contoso.Widgets/gadgets@2025-01-01' = {",
        "  name: 'b'",
        '}',
        ...EXISTING_WIDGET,
        'output mode string = w.properties.mode',
        'output colour string = w.properties.colour',
        'output hidden string = w.properties.secret',
        'output index int = w.properties.parts[0].cont',
        'output free string = w.tags.anything',
        'output ids array = [a.id, b.id]',
      ].join('\n'),
    });
    expect(problems).toEqual([
      'main.bicep:1 Azure publishes no resource type Contoso.Widgets/widgets@2024-01-01',
      'main.bicep:4 Azure publishes no resource type Contoso.Widgets/gadgets@2025-01-01',
      'main.bicep:11 WidgetProperties has no property colour',
      'main.bicep:12 secret of WidgetProperties is write-only: it cannot be read',
      'main.bicep:13 Part has no property cont',
    ]);
  });

  it('refuses a name that is only known once another resource or a module is deployed', async () => {
    const problems = await check({
      'main.bicep': [
        "module m 'm.bicep' = {",
        '  name: w.properties.state',
        '}',
        ...EXISTING_WIDGET,
        'var late = m.outputs.out',
        "resource a 'Contoso.Widgets/widgets@2025-01-01' = {",
        "  name: 'a-${late}'",
        "  properties: { mode: 'Fast' }",
        '}',
        "resource b 'Contoso.Widgets/widgets@2025-01-01' = {",
        '  name: guid(w.id, a.name, m.name)',
        "  properties: { mode: 'Fast', label: a.properties.state }",
        '}',
        'output c string = b.id',
      ].join('\n'),
      'm.bicep': "output out string = 'x'",
    });
    expect(problems).toEqual([
      'main.bicep:2 module m.name must be known when the deployment starts, and w.properties.state is only known later (BCP120)',
      'main.bicep:9 a.name must be known when the deployment starts, and late is only known later (BCP120)',
    ]);
  });

  it('checks how a child resource is named: parent: or a name of as many segments as its type', async () => {
    const problems = await check({
      'main.bicep': [
        ...EXISTING_WIDGET,
        "resource a 'Contoso.Widgets/widgets/settings@2025-01-01' = {",
        "  name: 'colour'",
        '}',
        "resource b 'Contoso.Widgets/widgets/settings@2025-01-01' = {",
        '  parent: w',
        "  name: '${w.name}/colour'",
        '}',
        "resource c 'Contoso.Widgets/widgets/settings@2025-01-01' = {",
        "  name: 'w/colour'",
        '}',
        "resource d 'Contoso.Widgets/widgets/settings@2025-01-01' = {",
        '  parent: w',
        "  name: 'colour'",
        '}',
        'output ids array = [a.id, b.id, c.id, d.id]',
      ].join('\n'),
    });
    expect(problems).toEqual([
      "main.bicep:5 Contoso.Widgets/widgets/settings@2025-01-01 needs parent: or a name 'name2' of 1 '/' (BCP169)",
      "main.bicep:9 with parent:, a name has no '/' (BCP170)",
      'main.bicep:12 warning use-parent-property: name the parent with parent:',
    ]);
  });

  it("stays quiet where Bicep's compiler and default linter are (a review against their sources)", async () => {
    const problems = await check(
      {
        'main.bicep': [
          '@secure()',
          'param adminKey string',
          '@secure()',
          "param token string = 'x${newGuid()}'",
          '@secure()',
          'param copy string = adminKey',
          'param adminPassword string?',
          "metadata info = 'Deploys to https://management.azure.com'",
          "@description('Host name, for example myvault.vault.azure.net')",
          "param notAHost string = 'mycore.windows.network'",
          'param count int = 3',
          '@minLength(1)',
          'param names string[]',
          '@maxLength(3)',
          "param mode 'a' | 'bb'",
          "var asText = '${count}'",
          "var lower = toLower('${k}')",
          "param k string = 'a'",
          'param rg string = resourceGroup().location',
          "var connection = 'key=${adminKey}'",
          "var keys = { '${k}': 1, '${k}': 2 }",
          "resource kv 'Contoso.Widgets/widgets@2025-01-01' existing = if (length(w.properties.colour) > 0) {",
          '  name: w.properties.colour',
          '}',
          ...EXISTING_WIDGET,
          "resource s 'Contoso.Widgets/widgets/settings@2025-01-01' = {",
          "  name: '${k}/colour'",
          '  properties: { a: token, b: copy }',
          '}',
          "output keyVaultSecretId string = 'id'",
          '@secure()',
          'output passwordOut string = adminKey',
          'output connectionString string = connection',
          "output one string = concat('abc')",
          'output n string = nameof(rg)',
          'output used array = [adminPassword, keys, kv.id, s.id, notAHost, asText, lower, names, mode]',
        ].join('\n'),
      },
      false,
    );
    expect(problems).toEqual([]);
  });

  it("takes '' and a value only known at deployment for a secure property, as Bicep's linter does", async () => {
    const problems = await check({
      'main.bicep': [
        "resource src 'Contoso.Widgets/widgets@2025-01-01' = {",
        "  name: 'src'",
        "  properties: { mode: 'Fast' }",
        '}',
        "resource a 'Contoso.Widgets/widgets@2025-01-01' = {",
        "  name: 'a'",
        "  properties: { mode: 'Fast', secret: '' }",
        '}',
        "resource b 'Contoso.Widgets/widgets@2025-01-01' = {",
        "  name: 'b'",
        "  properties: { mode: 'Fast', secret: 'k-${src.properties.state}' }",
        '}',
        "resource c 'Contoso.Widgets/widgets@2025-01-01' = {",
        "  name: 'c'",
        "  properties: { mode: 'Fast', secret: 'written-out' }",
        '}',
        'output ids array = [a.id, b.id, c.id]',
      ].join('\n'),
    });
    expect(problems).toEqual([
      'main.bicep:15 warning use-secure-value-for-secure-inputs: Contoso.Widgets/widgets@2025-01-01.properties.secret takes a @secure() param',
    ]);
  });

  it("finds a module's identity only known later, an admin name in a var, a secret's copy", async () => {
    const problems = await check({
      'main.bicep': [
        "module first 'm.bicep' = {",
        "  name: 'first'",
        '}',
        "module second 'm.bicep' = {",
        "  name: 'second'",
        "  identity: { type: 'UserAssigned', userAssignedIdentities: { '${first.outputs.o}': {} } }",
        '}',
        "var admin = 'azureuser'",
        "resource w 'Contoso.Widgets/widgets@2025-01-01' = {",
        "  name: 'w'",
        "  properties: { mode: 'Fast', owner: { adminUsername: admin } }",
        '}',
        'output id string = w.id',
        '@secure()',
        'param adminSecret string',
        'param copyOfIt string = adminSecret',
        'output n int = length(copyOfIt)',
      ].join('\n'),
      'm.bicep': "output o string = 'x'",
    });
    expect(problems.filter((p) => !p.includes('has no property'))).toEqual([
      'main.bicep:6 module second.identity must be known when the deployment starts, and first.outputs.o is only known later (BCP120)',
      'main.bicep:11 warning adminusername-should-not-be-literal: take it from a param',
      // Its default is a secret, whatever its name.
      'main.bicep:16 warning secure-secrets-in-params: copyOfIt looks like a secret and is not @secure()',
    ]);
  });

  it('keeps a dependsOn on an existing resource referenced only weakly, as Bicep does', async () => {
    const problems = await check(
      {
        'main.bicep': [
          "resource ex 'Contoso.Widgets/widgets@2025-01-01' existing = {",
          "  name: 'ex'",
          '}',
          "resource child 'Contoso.Widgets/widgets/settings@2025-01-01' = {",
          '  parent: ex',
          "  name: 'colour'",
          '  properties: { id: ex.id }',
          '  dependsOn: [ex]',
          '}',
          "resource reader 'Contoso.Widgets/widgets@2025-01-01' = {",
          "  name: 'r'",
          '  properties: { mode: ex.properties.mode }',
          '  dependsOn: [ex]',
          '}',
          'output ids array = [child.id, reader.id]',
        ].join('\n'),
      },
      false,
    );
    expect(problems).toEqual([
      'main.bicep:13 warning no-unnecessary-dependson: ex is already referenced, so waited for',
    ]);
  });

  it("refuses a key given twice, a value outside a param's decorators, and decorators on the wrong type", async () => {
    const problems = await check({
      'main.bicep': [
        "@allowed(['F0', 'S1'])",
        "param sku string = 'F1'",
        '@maxLength(3)',
        "param short string = 'four'",
        '@minLength(1)',
        'param count int = 1',
        'var tooMany = 40',
        "module m 'm.bicep' = {",
        "  name: 'm'",
        '  params: {',
        "    tier: 'Gold'",
        '    days: tooMany',
        "    label: 'abcdef'",
        '  }',
        '}',
        'var o = { a: 1, b: 2, a: 3 }',
        'output all array = [sku, short, count, o]',
      ].join('\n'),
      'm.bicep': [
        "@allowed(['Silver', 'Bronze'])",
        'param tier string',
        '@minValue(7)',
        '@maxValue(35)',
        'param days int',
        '@maxLength(5)',
        'param label string',
        "output o string = '${tier}${days}${label}'",
      ].join('\n'),
    });
    expect(problems).toEqual([
      `main.bicep:2 the default of sku: "F1" is not one of 'F0', 'S1' (BCP033)`,
      "main.bicep:4 the default of short: 'four' is longer than 3 (BCP332)",
      'main.bicep:5 @minLength does not apply to an int param (BCP124)',
      `main.bicep:11 param tier of m.bicep: "Gold" is not one of 'Silver', 'Bronze' (BCP036)`,
      'main.bicep:12 param days of m.bicep: 40 is above 35 (BCP327)',
      "main.bicep:13 param label of m.bicep: 'abcdef' is longer than 5 (BCP332)",
      'main.bicep:16 a is given twice (BCP025)',
    ]);
  });

  it('refuses values of the wrong type beyond literals, and functions where Bicep has none', async () => {
    const problems = await check({
      'main.bicep': [
        'param count int',
        "var name = 'x'",
        "module m 'm.bicep' = {",
        "  name: 'm'",
        '  params: { days: name }',
        '}',
        "resource a 'Contoso.Widgets/widgets@2025-01-01' = {",
        "  name: 'a'",
        "  properties: { mode: 'Fast' }",
        "  dependsOn: ['m']",
        '}',
        'var id = newGuid()',
        "var merged = coalesce(id, tryGet(a, 'x'))",
        "var fine = ['x', distinct([]), nameof(count), listKeys(a.id, '2025-01-01')]",
        "var misread = [toLower('A')]",
        'output n string = count',
        'output all array = [merged, fine, misread]',
        'output parts string = a.properties.parts',
      ].join('\n'),
      'm.bicep': 'param days int\noutput o int = days',
    });
    expect(problems).toEqual([
      'main.bicep:5 param days of m.bicep is an int, not a string',
      "main.bicep:10 dependsOn lists resources and modules, not 'm' (BCP034)",
      "main.bicep:12 newGuid() only in a param's default (BCP065)",
      'main.bicep:13 coalesce() is not a Bicep function',
      'main.bicep:13 tryGet() is not a Bicep function',
      'main.bicep:15 an array that begins with a call (the grammar misreads it) is not read by this check',
      'main.bicep:16 output n is a string, not a number (BCP026)',
      // No secrets warning for `all`: the listKeys() is inside var `fine`, whose type is not a
      // secure one, and Bicep's linter follows a var only by its type.
      'main.bicep:18 output parts is a string, not an array (BCP026)',
    ]);
  });

  it('refuses a location, tags or condition only known once something else is deployed', async () => {
    const problems = await check({
      'main.bicep': [
        ...EXISTING_WIDGET,
        "resource a 'Contoso.Widgets/widgets@2025-01-01' = if (w.properties.enabled) {",
        "  name: 'a'",
        '  location: w.location',
        '  tags: { state: w.properties.state }',
        "  properties: { mode: 'Fast', label: w.properties.label }",
        '}',
        'output id string = a.id',
      ].join('\n'),
    });
    expect(problems).toEqual([
      'main.bicep:4 a condition must be known when the deployment starts, and w.properties.enabled is only known later (BCP177)',
      'main.bicep:6 a.location must be known when the deployment starts, and w.location is only known later (BCP120)',
      'main.bicep:7 a.tags must be known when the deployment starts, and w.properties.state is only known later (BCP120)',
    ]);
  });

  it("checks a literal against a type's pattern, and a secure input's value", async () => {
    const problems = await check({
      'main.bicep':
        'param key string\n' +
        widget("    mode: 'Fast'\n    code: 'ABC'\n    secret: key") +
        widget("    mode: 'Fast'\n    secret: 'pass-${key}'")
          .replace(/\bw\b/g, 'w2')
          .replace('output id', 'output id2'),
    });
    expect(problems).toEqual([
      "main.bicep:8 warning Contoso.Widgets/widgets@2025-01-01.properties.code: 'ABC' does not match ^[a-z]+$ (BCP416)",
      'main.bicep:9 warning use-secure-value-for-secure-inputs: Contoso.Widgets/widgets@2025-01-01.properties.secret takes a @secure() param',
      'main.bicep:19 warning use-secure-value-for-secure-inputs: Contoso.Widgets/widgets@2025-01-01.properties.secret takes a @secure() param',
    ]);
  });

  it("warns as Bicep's default linter does on secrets, hard-coded URLs and needless expressions", async () => {
    const problems = await check({
      'main.bicep': [
        'param adminPassword string',
        '@secure()',
        "param apiKey string = 'hunter2'",
        'param location string = resourceGroup().location',
        "resource unused 'Contoso.Widgets/widgets@2025-01-01' existing = {",
        "  name: 'unused'",
        '}',
        "resource a 'Contoso.Widgets/widgets@2025-01-01' = {",
        "  name: concat('a-', location)",
        '  location: resourceGroup().location',
        "  properties: { mode: 'Fast', label: '${adminPassword}', adminUsername: 'admin' }",
        '}',
        "resource b 'Contoso.Widgets/widgets@2025-01-01' = {",
        "  name: 'b-${a.name}'",
        "  properties: { mode: 'Fast' }",
        '  dependsOn: [a]',
        '}',
        "output vault string = 'https://x.vault.azure.net/${b.id}'",
        'output key string = apiKey',
      ].join('\n'),
    });
    expect(problems).toEqual([
      'main.bicep:1 warning secure-secrets-in-params: adminPassword looks like a secret and is not @secure()',
      "main.bicep:3 warning secure-parameter-default: a @secure() param has no default but '' or newGuid()",
      'main.bicep:5 warning no-unused-existing-resources: unused is never used',
      'main.bicep:9 warning prefer-interpolation: use a string interpolation',
      // Line 10's resourceGroup().location: no-loc-expr-outside-params is off by default.
      'main.bicep:11 warning simplify-interpolation: write adminPassword alone',
      'main.bicep:11 warning Contoso.Widgets/widgets@2025-01-01.properties: WidgetProperties has no property adminUsername',
      'main.bicep:11 warning adminusername-should-not-be-literal: take it from a param',
      'main.bicep:16 warning no-unnecessary-dependson: a is already referenced, so waited for',
      'main.bicep:18 warning no-hardcoded-env-urls: vault.azure.net (use environment())',
      'main.bicep:19 warning outputs-should-not-contain-secrets: output key may give away a secret',
    ]);
  });

  it('reports modules from a registry, ARM templates and nested resources as not read', async () => {
    const problems = await check({
      'main.bicep': [
        "module r 'br/public:avm/res/key-vault/vault:0.11.0' = {",
        "  name: 'r'",
        '}',
        "module j 'template.json' = {",
        "  name: 'j'",
        '}',
        "resource a 'Contoso.Widgets/widgets@2025-01-01' = {",
        "  name: 'a'",
        "  properties: { mode: 'Fast' }",
        "  resource s 'settings' = {",
        "    name: 'colour'",
        '  }',
        '}',
      ].join('\n'),
    });
    expect(problems).toEqual([
      'main.bicep:1 a module from a registry or an ARM template (br/public:avm/res/key-vault/vault:0.11.0) is not read by this check',
      'main.bicep:4 a module from a registry or an ARM template (template.json) is not read by this check',
      'main.bicep:10 a nested resource is not read by this check',
    ]);
  });

  it('without the types, checks names and modules but not the resources', async () => {
    expect(await check({ 'main.bicep': widget("    mode: 'Quick'") }, false)).toEqual([]);
  });

  it('asks for an interpolation for concat() of string params, not of arrays or unknowns (prefer-interpolation)', async () => {
    const problems = await check(
      {
        'main.bicep': [
          'param a string',
          'param b string',
          'param n int',
          'param list array',
          'param more array',
          'output ab string = concat(a, b)',
          'output an string = concat(a, n)',
          'output lists array = concat(list, more)',
          'output mixed string = concat(a, list)',
          'output unknown string = concat(resourceGroup().name, subscription().id)',
        ].join('\n'),
      },
      false,
    );
    expect(problems).toEqual([
      'main.bicep:6 warning prefer-interpolation: use a string interpolation',
      'main.bicep:7 warning prefer-interpolation: use a string interpolation',
    ]);
  });

  it("checks a module's dependsOn, and finds a dependsOn waited for through vars, other resources or twice", async () => {
    const problems = await check(
      {
        'main.bicep': [
          "module first 'm.bicep' = {",
          "  name: 'first'",
          '}',
          "module second 'm.bicep' = {",
          "  name: 'second'",
          '  params: { p: first.outputs.o }',
          "  dependsOn: [first, 'first']",
          '}',
          'var fromA = a.properties.mode',
          "resource a 'Contoso.Widgets/widgets@2025-01-01' = {",
          "  name: 'a'",
          '}',
          "resource b 'Contoso.Widgets/widgets@2025-01-01' = {",
          "  name: 'b'",
          '  properties: { mode: fromA }',
          '  dependsOn: [a]',
          '}',
          "resource c 'Contoso.Widgets/widgets@2025-01-01' = {",
          "  name: 'c'",
          '  properties: { label: b.properties.mode }',
          '  dependsOn: [a, second, second]',
          '}',
          'output id string = c.id',
        ].join('\n'),
        'm.bicep': "param p string = ''\noutput o string = p",
      },
      false,
    );
    expect(problems).toEqual([
      'main.bicep:7 warning no-unnecessary-dependson: first is already referenced, so waited for',
      "main.bicep:7 dependsOn lists resources and modules, not 'first' (BCP034)",
      'main.bicep:16 warning no-unnecessary-dependson: a is already referenced, so waited for',
      'main.bicep:21 warning no-unnecessary-dependson: a is already referenced, so waited for',
      'main.bicep:21 warning no-unnecessary-dependson: second is listed twice',
    ]);
  });

  it('finds each hard-coded host where Bicep does, beside the excluded schema host too (no-hardcoded-env-urls)', async () => {
    const problems = await check(
      {
        'main.bicep': [
          "var a = 'https://myschema.management.azure.com/x'",
          "var b = 'see https://schema.management.azure.com/ and https://management.azure.com/'",
          "var c = 'https://management.core.windows.net and core.windows.net'",
          "var d = 'https://${a}.vault.azure.net'",
          // Bicep's rule stops at a long first piece without a host, so misses what follows.
          "var e = 'https://longer-prefix-${a}.vault.azure.net'",
          "var f = '''",
          'first line',
          '  login.microsoftonline.com',
          "'''",
          'output all array = [a, b, c, d, e, f]',
        ].join('\n'),
      },
      false,
    );
    expect(problems).toEqual([
      'main.bicep:1 warning no-hardcoded-env-urls: management.azure.com (use environment())',
      'main.bicep:2 warning no-hardcoded-env-urls: management.azure.com (use environment())',
      'main.bicep:3 warning no-hardcoded-env-urls: management.core.windows.net (use environment())',
      'main.bicep:3 warning no-hardcoded-env-urls: core.windows.net (use environment())',
      'main.bicep:4 warning no-hardcoded-env-urls: vault.azure.net (use environment())',
      'main.bicep:8 warning no-hardcoded-env-urls: login.microsoftonline.com (use environment())',
    ]);
  });

  it('finds an insecure value for a secure input in a call, a read of an object param, or a sensitive object', async () => {
    const secretIs = (name: string, property: string) => [
      `resource ${name} 'Contoso.Widgets/widgets@2025-01-01' = {`,
      `  name: '${name}'`,
      `  properties: { mode: 'Fast', ${property} }`,
      '}',
    ];
    const problems = await check({
      'main.bicep': [
        '@secure()',
        'param key string',
        'param plain string',
        '@secure()',
        'param bag object',
        'param open object',
        ...secretIs('r1', 'secret: toLower(key)'),
        ...secretIs('r2', 'secret: uniqueString(key)'),
        ...secretIs('r3', 'secret: toLower(plain)'),
        ...secretIs('r4', 'secret: bag.password'),
        ...secretIs('r5', 'secret: environment().name'),
        ...secretIs('r6', 'vault: bag'),
        ...secretIs('r7', 'vault: open'),
        ...secretIs('r8', "vault: { key: 'x' }"),
        ...secretIs('r9', 'secret: r1.properties.state'),
        'output ids array = [r1.id, r2.id, r3.id, r4.id, r5.id, r6.id, r7.id, r8.id, r9.id]',
      ].join('\n'),
    });
    const secure = (line: number, path: string) =>
      `main.bicep:${line} warning use-secure-value-for-secure-inputs: Contoso.Widgets/widgets@2025-01-01.properties.${path} takes a @secure() param`;
    expect(problems).toEqual([
      secure(13, 'secret'),
      secure(17, 'secret'),
      secure(21, 'secret'),
      secure(25, 'secret'),
      secure(33, 'vault'),
      secure(37, 'vault'),
    ]);
  });

  it('takes toLogicalZone(), this.exists() and an existing resource named at deployment as known only later (BCP120)', async () => {
    const problems = await check(
      {
        'main.bicep': [
          "module m 'm.bicep' = {",
          "  name: 'm'",
          '}',
          "resource ex 'Contoso.Widgets/widgets@2025-01-01' existing = {",
          '  name: m.outputs.o',
          '}',
          "resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' existing = {",
          '  scope: subscription()',
          "  name: 'rg'",
          '}',
          "resource zoned 'Contoso.Widgets/widgets@2025-01-01' = {",
          "  name: 'z-${toLogicalZone(subscription().subscriptionId, 'uksouth', '1')}'",
          "  properties: { mode: 'Fast', enabled: this.exists(), label: ex.id }",
          '  tags: { fresh: string(this.exists()) }',
          '}',
          "resource child 'Contoso.Widgets/widgets/settings@2025-01-01' = {",
          '  parent: ex',
          "  name: 'colour'",
          '}',
          "resource named 'Contoso.Widgets/widgets@2025-01-01' = {",
          "  name: '${ex.name}-copy'",
          '}',
          "module inRg 'm.bicep' = {",
          "  name: 'inRg'",
          '  scope: rg',
          '}',
          // Scoped by a call only known later, but named by a literal: Bicep does not inline it.
          "resource exByCall 'Contoso.Widgets/widgets@2025-01-01' existing = {",
          '  scope: resourceGroup(m.outputs.o)',
          "  name: 'fixed'",
          '}',
          "resource child2 'Contoso.Widgets/widgets/settings@2025-01-01' = {",
          '  parent: exByCall',
          "  name: '${exByCall.name}-shape'",
          '}',
          'output ids array = [zoned.id, child.id, named.id, inRg.name, child2.id]',
        ].join('\n'),
        'm.bicep': "output o string = 'x'",
      },
      false,
    );
    expect(problems).toEqual([
      "main.bicep:12 zoned.name must be known when the deployment starts, and toLogicalZone(subscription().subscriptionId, 'uksouth', '1') is only known later (BCP120)",
      'main.bicep:14 zoned.tags must be known when the deployment starts, and this.exists() is only known later (BCP120)',
      'main.bicep:17 child.parent must be known when the deployment starts, and ex is only known later (BCP120)',
      'main.bicep:21 named.name must be known when the deployment starts, and ex.name is only known later (BCP120)',
    ]);
  });

  it('reads a pattern as .NET does (\\p{Lu}, \\A and \\z), and passes one JavaScript may read otherwise', async () => {
    const problems = await check({
      'main.bicep':
        widget("    mode: 'Fast'\n    initials: 'ÉA'\n    slug: 'abc'\n    code: 'ab\\n'") +
        widget("    mode: 'Fast'\n    initials: 'ab'\n    slug: 'ab1'")
          .replace(/\bw\b/g, 'w2')
          .replace('output id', 'output id2'),
    });
    expect(problems).toEqual([
      "main.bicep:19 warning Contoso.Widgets/widgets@2025-01-01.properties.initials: 'ab' does not match ^\\p{Lu}+$ (BCP416)",
      "main.bicep:20 warning Contoso.Widgets/widgets@2025-01-01.properties.slug: 'ab1' does not match \\A[a-z]+\\z (BCP416)",
    ]);
  });
});
