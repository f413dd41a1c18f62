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
      'main.bicep:1 the default of n is a string, not a int',
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
      'main.bicep': widget(
        "    size: 10\n    mode: 'Slow'\n    label: 'abcde'\n    enabled: true\n    parts: [\n      { count: 1 }\n    ]\n    secret: 'x'",
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
      'main.bicep:5 Contoso.Widgets/widgets@2025-01-01: Contoso.Widgets/widgets has no property zone',
      'main.bicep:8 Contoso.Widgets/widgets@2025-01-01.properties: WidgetProperties has no property sise',
      'main.bicep:9 Contoso.Widgets/widgets@2025-01-01.properties: state is read-only',
      'main.bicep:11 Contoso.Widgets/widgets@2025-01-01.properties.parts[]: Part needs count',
    ]);
    const noProperties = await check({
      'main.bicep':
        "resource w 'Contoso.Widgets/widgets@2025-01-01' = {\n  name: 'w'\n}\noutput id string = w.id",
    });
    expect(noProperties).toEqual([
      'main.bicep:1 Contoso.Widgets/widgets@2025-01-01: Contoso.Widgets/widgets needs properties',
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
      "main.bicep:8 Contoso.Widgets/widgets@2025-01-01.properties.mode: 'Quick' is not one of 'Fast', 'Slow'",
      'main.bicep:9 Contoso.Widgets/widgets@2025-01-01.properties.size: 11 is above 10 (var big)',
      "main.bicep:10 Contoso.Widgets/widgets@2025-01-01.properties.label: 'abcdef' is longer than 5",
      'main.bicep:11 Contoso.Widgets/widgets@2025-01-01.properties.enabled: a string where a boolean is expected',
      'main.bicep:12 Contoso.Widgets/widgets@2025-01-01.properties.parts: a object where an array is expected',
    ]);
  });

  it('checks both branches of a condition', async () => {
    const problems = await check({
      'main.bicep': 'param fast bool\n' + widget("    mode: fast ? 'Fast' : 'Slowly'"),
    });
    expect(problems).toEqual([
      "main.bicep:7 Contoso.Widgets/widgets@2025-01-01.properties.mode: 'Slowly' is not one of 'Fast', 'Slow'",
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
      'main.bicep:8 Contoso.Widgets/widgets/settings@2025-01-01.properties: Shape has no property hue',
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
        "resource w 'Contoso.Widgets/widgets@2025-01-01' existing = {",
        "  name: 'w'",
        '}',
        'output mode string = w.properties.mode',
        'output colour string = w.properties.colour',
        'output secret string = w.properties.secret',
        'output free string = w.tags.anything',
        'output ids array = [a.id, b.id]',
      ].join('\n'),
    });
    expect(problems).toEqual([
      'main.bicep:1 Azure publishes no resource type Contoso.Widgets/widgets@2024-01-01',
      'main.bicep:4 Azure publishes no resource type Contoso.Widgets/gadgets@2025-01-01',
      'main.bicep:11 WidgetProperties has no property colour',
      'main.bicep:12 secret of WidgetProperties is write-only: it cannot be read',
    ]);
  });

  it('refuses a name that is only known once another resource or a module is deployed', async () => {
    const problems = await check({
      'main.bicep': [
        "module m 'm.bicep' = {",
        '  name: w.properties.state',
        '}',
        "resource w 'Contoso.Widgets/widgets@2025-01-01' existing = {",
        "  name: 'w'",
        '}',
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
      'main.bicep:2 module m.name must be known when the deployment starts, and w.properties.state is only known later',
      'main.bicep:9 Contoso.Widgets/widgets@2025-01-01.name must be known when the deployment starts, and late is only known later',
    ]);
  });

  it('without the types, checks names and modules but not the resources', async () => {
    expect(await check({ 'main.bicep': widget("    mode: 'Quick'") }, false)).toEqual([]);
  });
});
