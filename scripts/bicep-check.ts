/**
 * A check of the Bicep files in infra/ for a machine that has no Bicep compiler (it is a .NET
 * program, and neither .NET nor GitHub's releases can be reached here). It reads the files with
 * tree-sitter's Bicep grammar (web-tree-sitter, WebAssembly: nothing to build) and reports part of
 * what `bicep build` would refuse, with Bicep's code where there is one (BCPnnn), and some of its
 * default linter's warnings (marked `warning` and the rule's name):
 *
 * - syntax errors;
 * - names used but never declared or declared twice, params and vars never used, keys given twice;
 * - functions and decorators Bicep does not have, constraint decorators on a param of another
 *   type, newGuid() and utcNow() outside a param's default;
 * - a param's default or a module's param outside its type or its @allowed, @minLength,
 *   @maxLength, @minValue, @maxValue (literals, also through vars); an output of another type;
 * - a module file missing, a param it does not declare, a required one not given, an output it
 *   does not have;
 * - a child resource named neither by parent: nor by a name of its type's segments; dependsOn
 *   given something other than resources and modules; a name, location, tags, sku, identity (and
 *   the other properties Bicep lists) or a condition that is only known once something else is
 *   deployed;
 * - with Azure's published resource types (the `generated` folder of github.com/Azure/bicep-types-az,
 *   the definitions the compiler itself loads): a resource type or API version that does not exist,
 *   a property the type does not have, a read-only one set, a required one missing, a literal of
 *   the wrong type, length, range, pattern or enumerated value, a config or setting name its type
 *   does not have, and a read (through indexes too) of a property a resource lacks or hides;
 * - the linter's secure-secrets-in-params, secure-parameter-default,
 *   outputs-should-not-contain-secrets, use-secure-value-for-secure-inputs, no-hardcoded-env-urls,
 *   adminusername-should-not-be-literal, prefer-interpolation, simplify-interpolation,
 *   use-parent-property, no-unnecessary-dependson and no-unused-existing-resources
 *   (no-loc-expr-outside-params is off in Bicep's default configuration).
 *
 * It does not type-check expressions beyond literals, params and vars (function arguments, a
 * resource property read given to a function). Constructs it does not read (loops, lambdas,
 * nested resources, user-defined types and functions, imports, registry modules and ARM
 * templates, and arrays whose first item is a call, which the grammar misreads) are reported as
 * not read rather than passed over.
 *
 *   npx tsx scripts/bicep-check.ts infra/main.bicep [--types <bicep-types-az>/generated]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Language, Parser, type Node } from 'web-tree-sitter';

export interface BicepProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

// ------------------------------------------------------------------------------------------------
// Bicep's own names (https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions)

// Names from Azure/bicep's Semantics/Namespaces (SystemNamespaceType.cs, AzNamespaceType.cs),
// August 2026; readEnvironmentVariable, readCliArg and externalInput are for .bicepparam files only.
const FUNCTIONS = new Set(
  (
    'any array base64 base64ToJson base64ToString bool buildUri cidrHost cidrSubnet concat ' +
    'contains dataUri dataUriToString dateTimeAdd dateTimeFromEpoch dateTimeToEpoch deployer ' +
    'deployment distinct empty endsWith environment extensionResourceId fail filter first flatten ' +
    'format groupBy guid indexOf int intersection items join json last lastIndexOf length like ' +
    'loadDirectoryFileInfo loadFileAsBase64 loadJsonContent loadTextContent loadYamlContent ' +
    'managementGroup managementGroupResourceId map mapValues max min nameof newGuid objectKeys ' +
    'padLeft parseCidr parseUri pickZones providers range reduce reference replace resourceGroup ' +
    'roleDefinitions shallowMerge skip sort split startsWith string subscription ' +
    'subscriptionResourceId substring take tenant tenantResourceId toLogicalZone toLogicalZones ' +
    'toLower toObject toPhysicalZone toPhysicalZones toUpper trim union uniqueString uri ' +
    'uriComponent uriComponentToString utcNow'
  ).split(' '),
);
/** Az's `list*` functions (listKeys, listSecrets, ...) are one wildcard. */
const isFunction = (name: string) => FUNCTIONS.has(name) || /^list[A-Za-z]/.test(name);
/**
 * Functions evaluated only during the deployment (Azure/bicep's RequiresInlining flag), besides
 * the list*() ones: what they give is not known at the start.
 */
const RUNTIME_FUNCTIONS = new Set([
  'reference',
  'toLogicalZone',
  'toLogicalZones',
  'toPhysicalZone',
  'toPhysicalZones',
]);
/** The functions of `this`, the resource being declared (only in a non-existing one's body). */
const THIS_FUNCTIONS = new Set(['exists', 'existingResource']);
/** Functions allowed only in a param's default (BCP065). */
const PARAM_DEFAULT_ONLY = new Set(['newGuid', 'utcNow']);
const DECORATORS = new Set(
  (
    'allowed batchSize description discriminator export maxLength maxValue metadata minLength ' +
    'minValue nullIfNotFound onlyIfNotExists patch retryOn sealed secure validate waitUntil'
  ).split(' '),
);
/** Which param types each constraint decorator applies to (BCP124). */
const DECORATOR_TYPES: Record<string, string[]> = {
  minLength: ['string', 'array'],
  maxLength: ['string', 'array'],
  minValue: ['int'],
  maxValue: ['int'],
  secure: ['string', 'object'],
};
/**
 * Top-level properties of a resource body that must be known when the deployment starts (BCP120):
 * the name, and those Azure/bicep's AzResourceTypeProvider lists as write-only deploy-time constants.
 */
const START_KNOWN_KEYS = new Set([
  'name',
  'location',
  'kind',
  'subscriptionId',
  'resourceGroup',
  'managedBy',
  'extendedLocation',
  'zones',
  'placement',
  'plan',
  'sku',
  'identity',
  'managedByExtended',
  'tags',
  'asserts',
]);
/** The default linter's no-hardcoded-env-urls hosts (Bicep's bicepconfig.json defaults). */
const ENVIRONMENT_HOSTS = [
  'azuredatalakeanalytics.net',
  'azuredatalakestore.net',
  'batch.core.windows.net',
  'core.windows.net',
  'database.windows.net',
  'datalake.azure.net',
  'gallery.azure.com',
  'graph.windows.net',
  'login.microsoftonline.com',
  'management.azure.com',
  'management.core.windows.net',
  'vault.azure.net',
];
/** Hosts that no-hardcoded-env-urls leaves alone, and anything they overlap. */
const EXCLUDED_HOSTS = ['schema.management.azure.com'];
/** The shortest host: shorter strings and pieces are not searched (as Bicep's rule does). */
const SHORTEST_HOST = Math.min(...ENVIRONMENT_HOSTS.map((host) => host.length));
/**
 * Functions whose result has their first argument's type, @secure() included (Azure/bicep's
 * SystemNamespaceType): toLower(secret) stays a secret, uniqueString(secret) does not.
 */
const KEEPS_FIRST_ARGUMENT = new Set(
  'toLower toUpper padLeft trim substring take skip first last'.split(' '),
);
/** The default linter's secure-secrets-in-params names. */
const SECRET_NAME = /password|pwd|secret|accountkey|acctkey/i;
const NOT_SECRET_NAME = /secretpermissions|secretversion|secretur[il]|secretname/i;
const NAMESPACES = new Set(['az', 'sys']);
/** Keys of a resource body that are Bicep's, not the resource type's. */
const RESOURCE_KEYWORDS = new Set(['parent', 'scope', 'dependsOn']);
const MODULE_KEYS = new Set(['name', 'params', 'scope', 'dependsOn', 'identity']);
/** What a resource's symbol gives before it is deployed (the rest is read from Azure after). */
const START_PROPERTIES = new Set(['id', 'name', 'type', 'apiVersion']);
/** Declarations read: anything else at the top level is reported as not read. */
const READ_STATEMENTS = new Set([
  'comment',
  'diagnostic_comment',
  'decorators',
  'parameter_declaration',
  'variable_declaration',
  'resource_declaration',
  'module_declaration',
  'output_declaration',
  'metadata_declaration',
  'target_scope_assignment',
]);

// ------------------------------------------------------------------------------------------------
// Parsing

const require = createRequire(import.meta.url);
let parser: Promise<Parser> | undefined;

function bicepParser(): Promise<Parser> {
  parser ??= (async () => {
    await Parser.init();
    const language = await Language.load(
      require.resolve('tree-sitter-bicep/tree-sitter-bicep.wasm'),
    );
    return new Parser().setLanguage(language);
  })();
  return parser;
}

type SymbolKind = 'param' | 'var' | 'resource' | 'module';

interface BicepSymbol {
  kind: SymbolKind;
  name: string;
  node: Node;
  used: boolean;
  /** param: its declared type (`string`, `int`, ...); resource: `Type@apiVersion`. */
  type: string;
  /** param: optional (a default or `?`); var: its value; resource and module: their body. */
  optional?: boolean;
  value?: Node | null;
  /** module: the file it reads. */
  module?: BicepFile;
  /** param: its type ends in `?` (null allowed, so not a string to Bicep's secret rules). */
  nullable?: boolean;
  /** param: its decorators, by name, with their first argument. */
  decorators?: Map<string, Node | null>;
  /** resource: declared `existing`. */
  existing?: boolean;
}

interface BicepFile {
  file: string;
  /** Something in it was not read, so whether a name is used cannot be told. */
  unread?: boolean;
  symbols: Map<string, BicepSymbol>;
  outputs: Map<string, Node>;
  /** Outputs marked @secure(), which outputs-should-not-contain-secrets leaves alone. */
  secureOutputs: Set<string>;
}

// ------------------------------------------------------------------------------------------------
// Azure's resource types (bicep-types-az's generated/<service>/<provider>/<apiVersion>/types.json)

const REQUIRED = 1;
const READ_ONLY = 2;
const WRITE_ONLY = 4;

interface TypeRef {
  $ref: string;
}
interface AzureProperty {
  type: TypeRef;
  flags: number;
}
type AzureType =
  | { $type: 'ResourceType'; name: string; body: TypeRef }
  | {
      $type: 'ObjectType';
      name: string;
      properties: Record<string, AzureProperty>;
      additionalProperties?: TypeRef;
    }
  | {
      $type: 'DiscriminatedObjectType';
      name: string;
      discriminator: string;
      baseProperties: Record<string, AzureProperty>;
      elements: Record<string, TypeRef>;
    }
  | { $type: 'UnionType'; elements: TypeRef[] }
  | { $type: 'ArrayType'; itemType: TypeRef }
  | { $type: 'StringLiteralType'; value: string }
  | { $type: 'StringType'; minLength?: number; maxLength?: number }
  | { $type: 'IntegerType'; minValue?: number; maxValue?: number }
  | { $type: 'BooleanType' }
  | { $type: 'AnyType' }
  | { $type: string };

interface ResolvedType {
  table: AzureType[];
  type: AzureType;
}

export class AzureTypes {
  private readonly files = new Map<string, string[]>();
  private readonly tables = new Map<string, AzureType[]>();

  /** `generated`: bicep-types-az's folder of that name. */
  constructor(generated: string) {
    if (!existsSync(generated)) throw new Error(`${generated}: no such folder`);
    for (const service of readdirSync(generated, { withFileTypes: true })) {
      if (!service.isDirectory()) continue;
      const serviceDir = path.join(generated, service.name);
      for (const provider of readdirSync(serviceDir, { withFileTypes: true })) {
        if (!provider.isDirectory()) continue;
        const providerDir = path.join(serviceDir, provider.name);
        for (const version of readdirSync(providerDir, { withFileTypes: true })) {
          const file = path.join(providerDir, version.name, 'types.json');
          if (!version.isDirectory() || !existsSync(file)) continue;
          const key = `${provider.name.toLowerCase()}@${version.name.toLowerCase()}`;
          this.files.set(key, [...(this.files.get(key) ?? []), file]);
        }
      }
    }
    if (this.files.size === 0) throw new Error(`${generated}: no types.json under it`);
  }

  /** The body of `Type@apiVersion`, or undefined when Azure publishes no such type. */
  resource(typeAtVersion: string): ResolvedType | undefined {
    const [type = '', version = ''] = typeAtVersion.split('@');
    const key = `${type.split('/')[0]?.toLowerCase()}@${version.toLowerCase()}`;
    for (const file of this.files.get(key) ?? []) {
      let table = this.tables.get(file);
      if (!table) {
        table = JSON.parse(readFileSync(file, 'utf8')) as AzureType[];
        this.tables.set(file, table);
      }
      const found = table.find(
        (entry) =>
          entry.$type === 'ResourceType' &&
          (entry as { name: string }).name.toLowerCase() === typeAtVersion.toLowerCase(),
      ) as { body: TypeRef } | undefined;
      if (found) return resolve(table, found.body);
    }
    return undefined;
  }
}

function resolve(table: AzureType[], ref: TypeRef): ResolvedType {
  const type = table[Number(ref.$ref.replace('#/', ''))];
  if (!type) throw new Error(`types.json: no entry ${ref.$ref}`);
  return { table, type };
}

/** The properties an object literal may have under this type (a union of a discriminated one's). */
function propertiesOf(
  { table, type }: ResolvedType,
  discriminatorValue?: string,
): { name: string; properties: Record<string, AzureProperty>; open?: TypeRef } | undefined {
  if (type.$type === 'ObjectType') {
    const object = type as Extract<AzureType, { $type: 'ObjectType' }>;
    const open = object.additionalProperties;
    return { name: object.name, properties: object.properties, ...(open ? { open } : {}) };
  }
  if (type.$type === 'DiscriminatedObjectType') {
    const union = type as Extract<AzureType, { $type: 'DiscriminatedObjectType' }>;
    const elements =
      discriminatorValue !== undefined && union.elements[discriminatorValue]
        ? [union.elements[discriminatorValue]]
        : Object.values(union.elements);
    const properties = { ...union.baseProperties };
    for (const element of elements)
      Object.assign(properties, propertiesOf(resolve(table, element))?.properties);
    return { name: union.name, properties };
  }
  return undefined;
}

// ------------------------------------------------------------------------------------------------
// The check

class Checker {
  readonly problems: BicepProblem[] = [];
  /** While a param's default is read: the only place newGuid() and utcNow() may be. */
  private inParamDefault = false;
  /** While a non-existing resource's body is read: the only place `this.exists()` may be. */
  private inResourceBody = false;
  /** The existing resources whose name, parent or scope is being followed (against cycles). */
  private readonly following = new Set<BicepSymbol>();
  /** Every resource checked against Azure's types, as `Type@apiVersion`. */
  readonly resources: string[] = [];
  private readonly files = new Map<string, BicepFile>();

  fileNames(): string[] {
    return [...this.files.keys()];
  }

  constructor(
    private readonly parser: Parser,
    private readonly azure: AzureTypes | undefined,
  ) {}

  report(file: string, node: Node, message: string) {
    this.reportAt(file, node.startPosition, message);
  }

  /** A problem at a place inside a node (a host in a long string). */
  reportAt(file: string, { row, column }: { row: number; column: number }, message: string) {
    this.problems.push({ file, line: row + 1, column: column + 1, message });
  }

  /** A construct this check does not know: reported, never passed over. */
  private notRead(file: BicepFile, node: Node, what: string) {
    this.report(file.file, node, `${what} is not read by this check`);
    file.unread = true;
  }

  read(file: string): BicepFile {
    const known = this.files.get(file);
    if (known) return known;
    const result: BicepFile = {
      file,
      symbols: new Map(),
      outputs: new Map(),
      secureOutputs: new Set(),
    };
    this.files.set(file, result);
    const tree = this.parser.parse(readFileSync(file, 'utf8'));
    if (!tree) throw new Error(`${file}: the parser gave no tree`);
    const root = tree.rootNode;
    if (root.hasError) {
      const walk = (node: Node) => {
        if (node.isMissing) this.report(file, node, `syntax error: ${node.type} missing`);
        else if (node.isError) {
          this.report(file, node, `syntax error at '${node.text.split('\n')[0]?.slice(0, 40)}'`);
        } else for (const child of node.children) if (child?.hasError) walk(child);
      };
      walk(root);
      return result;
    }
    this.declare(result, root);
    for (const statement of root.namedChildren) if (statement) this.statement(result, statement);
    this.lint(result);
    for (const symbol of result.symbols.values()) {
      if (!result.unread && !symbol.used && (symbol.kind === 'param' || symbol.kind === 'var')) {
        this.report(file, symbol.node, `${symbol.kind} ${symbol.name} is declared but never used`);
      }
    }
    return result;
  }

  private declare(file: BicepFile, root: Node) {
    /** The decorators just read: the grammar puts them beside the declaration they belong to. */
    let decorators: Node | undefined;
    for (const statement of root.namedChildren) {
      if (!statement || statement.type === 'comment') continue;
      const before = decorators;
      decorators = statement.type === 'decorators' ? statement : undefined;
      if (!READ_STATEMENTS.has(statement.type)) {
        this.notRead(file, statement, statement.type);
        continue;
      }
      const [nameNode] = statement.namedChildren;
      if (!nameNode || nameNode.type !== 'identifier') continue;
      const name = nameNode.text;
      if (statement.type === 'output_declaration') {
        if (file.outputs.has(name))
          this.report(file.file, nameNode, `output ${name} is declared twice`);
        file.outputs.set(name, statement);
        if (decoratorNames(before).includes('secure')) file.secureOutputs.add(name);
        continue;
      }
      const kind = (
        {
          parameter_declaration: 'param',
          variable_declaration: 'var',
          resource_declaration: 'resource',
          module_declaration: 'module',
        } as const
      )[statement.type as 'parameter_declaration'];
      if (!kind) continue;
      if (file.symbols.has(name) || NAMESPACES.has(name)) {
        this.report(file.file, nameNode, `${name} is declared twice`);
        continue;
      }
      const parts = statement.namedChildren.filter((child) => child !== null);
      const symbol: BicepSymbol = { kind, name, node: nameNode, used: false, type: '' };
      if (kind === 'param') {
        const typeNode = parts[1];
        symbol.type = typeNode?.text.replace(/\?$/, '') ?? '';
        symbol.nullable = Boolean(typeNode?.text.endsWith('?'));
        symbol.optional = parts.length > 2 || symbol.nullable;
        symbol.value = parts[2] ?? null;
        symbol.decorators = new Map();
        for (const decorator of before?.namedChildren ?? []) {
          const call = decorator?.namedChildren[0];
          const callee = call?.childForFieldName('function');
          const decoratorName =
            callee?.type === 'member_expression' ? callee.lastNamedChild : callee;
          if (!call || !decoratorName) continue;
          const first = call.childForFieldName('arguments')?.namedChildren[0] ?? null;
          symbol.decorators.set(decoratorName.text, first);
          const applies = DECORATOR_TYPES[decoratorName.text];
          const kind = kindOfType(symbol.type);
          if (applies && kind && !applies.includes(kind)) {
            this.report(
              file.file,
              decoratorName,
              `@${decoratorName.text} does not apply to ${an(symbol.type)} param (BCP124)`,
            );
          }
        }
      } else if (kind === 'var') {
        symbol.value = parts[1] ?? null;
      } else {
        symbol.type = stringValue(parts[1]) ?? '';
        symbol.value = body(statement);
        symbol.existing = statement.children.some((child) => child?.type === 'existing');
      }
      file.symbols.set(name, symbol);
    }
  }

  private statement(file: BicepFile, statement: Node) {
    const parts = statement.namedChildren.filter((child) => child !== null);
    switch (statement.type) {
      case 'decorators':
        for (const decorator of parts) {
          const call = decorator.namedChildren[0];
          const name = call?.childForFieldName('function');
          const decoratorName = name?.type === 'member_expression' ? name.lastNamedChild : name;
          if (decoratorName && !DECORATORS.has(decoratorName.text)) {
            this.report(
              file.file,
              decoratorName,
              `@${decoratorName.text} is not a Bicep decorator`,
            );
          }
          const args = call?.childForFieldName('arguments');
          if (args) for (const arg of args.namedChildren) if (arg) this.expression(file, arg);
        }
        return;
      case 'parameter_declaration':
        if (parts[2]) {
          this.inParamDefault = true;
          this.expression(file, parts[2]);
          this.inParamDefault = false;
          const param = file.symbols.get(parts[0]?.text ?? '');
          if (param?.kind === 'param') {
            this.checkConstraints(file, parts[2], param, `the default of ${param.name}`);
          }
          const declared = parts[1]?.text.replace(/\?$/, '');
          const given = literalKind(parts[2]);
          const expected = PARAM_KINDS[declared ?? ''];
          if (expected && given && given !== expected) {
            this.report(
              file.file,
              parts[2],
              `the default of ${parts[0]?.text} is ${an(given)}, not ${an(declared ?? '')}`,
            );
          }
        }
        return;
      case 'output_declaration': {
        const value = parts[parts.length - 1];
        if (!value || parts.length < 3) return;
        this.expression(file, value);
        const declared = parts[1]?.text ?? '';
        const kind = this.kindOf(file, value);
        const expected = PARAM_KINDS[declared];
        if (kind && expected && kind !== expected) {
          this.report(
            file.file,
            value,
            `output ${parts[0]?.text} is ${an(declared)}, not ${an(kind)} (BCP026)`,
          );
        }
        return;
      }
      case 'variable_declaration':
      case 'metadata_declaration':
      case 'target_scope_assignment':
        if (parts.length > 1) this.expression(file, parts[parts.length - 1]!);
        return;
      case 'resource_declaration':
        return this.resource(file, statement, parts);
      case 'module_declaration':
        return this.module(file, statement, parts);
    }
  }

  private resource(file: BicepFile, statement: Node, parts: Node[]) {
    const typeAtVersion = stringValue(parts[1]);
    const existing = statement.children.some((child) => child?.type === 'existing');
    const object = this.bodyOf(file, statement);
    if (!object || !typeAtVersion) return;
    this.inResourceBody = !existing;
    this.expression(file, object);
    this.inResourceBody = false;
    this.resourceBody(file, parts[0]!.text, typeAtVersion, object, existing);
    if (!this.azure) return;
    const type = this.azure.resource(typeAtVersion);
    if (!type) {
      this.report(file.file, parts[1]!, `Azure publishes no resource type ${typeAtVersion}`);
      return;
    }
    this.resources.push(typeAtVersion);
    if (existing) return;
    // A name of several segments ('vault/secret') is not the type's own name: not checked.
    const name = properties(object).find(([key]) => key === 'name')?.[1];
    const keywords = new Set(RESOURCE_KEYWORDS);
    if (name && (this.slashesIn(name) ?? 0) > 0) keywords.add('name');
    // Azure's types are not trusted to be exact, so Bicep gives a body's mismatches as warnings
    // (BCP035, BCP036, BCP037, BCP073, ranges, lengths, BCP416); the name's stay errors.
    const problems = this.mismatches(file, object, type, typeAtVersion, keywords, new Set());
    for (const [node, message] of problems) {
      const error =
        message.startsWith('warning ') ||
        message.startsWith(`${typeAtVersion}.name:`) ||
        message.startsWith(`${typeAtVersion}: name `);
      this.report(file.file, node, error ? message : `warning ${message}`);
    }
  }

  /** What Bicep checks of a resource's body without Azure's types. */
  private resourceBody(
    file: BicepFile,
    symbol: string,
    typeAtVersion: string,
    object: Node,
    existing: boolean,
  ) {
    const entries = new Map(
      properties(object).map(([key, value, keyNode]) => [key, { value, keyNode }]),
    );
    // A child type (…/vaults/secrets) is named by parent: and its own name, or by a name of as
    // many segments as the type has below the provider (BCP169, BCP170, use-parent-property).
    const segments = (typeAtVersion.split('@')[0] ?? '').split('/').length - 1;
    const name = entries.get('name')?.value;
    const slashes = name ? this.slashesIn(name) : undefined;
    // An interpolated name may hold '/' in its parts: Bicep flags it only for too many.
    const interpolated = name?.namedChildren.some((part) => part?.type === 'interpolation');
    if (name && slashes !== undefined) {
      if (entries.has('parent') && slashes > 0) {
        this.report(file.file, name, `with parent:, a name has no '/' (BCP170)`);
      } else if (
        !entries.has('parent') &&
        (interpolated ? slashes > segments - 1 : slashes !== segments - 1)
      ) {
        const wanted = Array.from({ length: segments }, (_, i) => `name${i + 1}`).join('/');
        this.report(
          file.file,
          name,
          `${typeAtVersion} needs parent: or a name '${wanted.split('/').slice(1).join('/')}' of ${segments - 1} '/' (BCP169)`,
        );
      } else if (
        !entries.has('parent') &&
        segments > 1 &&
        this.namesParent(file, name, typeAtVersion)
      ) {
        this.report(file.file, name, `warning use-parent-property: name the parent with parent:`);
      }
    }
    // An existing resource is read, not deployed: nothing in it need be known at the start.
    for (const [key, { value }] of existing ? [] : entries) {
      const late = START_KNOWN_KEYS.has(key)
        ? this.knownLate(file, value, new Set())
        : key === 'parent' || key === 'scope'
          ? this.lateTarget(file, value)
          : undefined;
      if (late) this.report(file.file, late, mustBeKnown(`${symbol}.${key}`, late));
    }
    this.checkDependsOn(file, symbol, entries.get('dependsOn')?.value);
    const adminUsernames = (node: Node): Node[] =>
      node.type !== 'object'
        ? node.namedChildren.flatMap((child) => (child ? adminUsernames(child) : []))
        : properties(node).flatMap(([key, value]) =>
            // A literal string, also through a var (Bicep goes by the value's literal type).
            key.toLowerCase() === 'adminusername' &&
            typeof literalOf(file, value, new Set()) === 'string' &&
            !(value.type === 'identifier' && file.symbols.get(value.text)?.kind === 'param')
              ? [value]
              : adminUsernames(value),
          );
    for (const value of adminUsernames(object)) {
      this.report(
        file.file,
        value,
        'warning adminusername-should-not-be-literal: take it from a param',
      );
    }
  }

  /**
   * A resource's or module's dependsOn: resources and modules only (BCP034, an error: dependsOn's
   * type is Bicep's own, not one of Azure's it only warns of), and none Bicep already waits for (no-unnecessary-dependson): one
   * it references, directly or through vars, resources and modules that reference it, or one
   * listed twice. An index (`loop[0]`) is left alone, as Bicep leaves collections alone.
   */
  private checkDependsOn(file: BicepFile, symbol: string, dependsOn: Node | undefined) {
    if (dependsOn?.type !== 'array') return;
    const declared = file.symbols.get(symbol);
    const inferred = declared ? this.inferredDependencies(file, declared) : new Set<string>();
    const listed = new Set<string>();
    for (const item of dependsOn.namedChildren) {
      if (!item || item.type === 'comment') continue;
      const base = item.type === 'subscript_expression' ? item.childForFieldName('object') : item;
      const target = base?.type === 'identifier' ? file.symbols.get(base.text) : undefined;
      if (target?.kind !== 'resource' && target?.kind !== 'module') {
        this.report(
          file.file,
          item,
          `dependsOn lists resources and modules, not ${item.text} (BCP034)`,
        );
        continue;
      }
      if (item.type !== 'identifier') continue;
      const why = inferred.has(target.name)
        ? 'is already referenced, so waited for'
        : listed.has(target.name)
          ? 'is listed twice'
          : undefined;
      if (why) {
        this.report(file.file, item, `warning no-unnecessary-dependson: ${target.name} ${why}`);
      }
      listed.add(target.name);
    }
  }

  /**
   * What Bicep makes a declaration wait for without dependsOn: the resources, modules and vars
   * it references, and theirs in turn. An existing resource referenced only weakly (its id,
   * name, type or apiVersion, a call on it, or in parent: or scope:) is read without waiting, so
   * it is not one, though what it references still is.
   */
  private inferredDependencies(file: BicepFile, symbol: BicepSymbol): Set<string> {
    const found = new Set<string>();
    const walked = new Set<string>();
    const queue = this.directDependencies(file, symbol);
    for (let next = queue.shift(); next; next = queue.shift()) {
      const key = `${next.target.name} ${next.weak}`;
      if (walked.has(key)) continue;
      walked.add(key);
      queue.push(...this.directDependencies(file, next.target));
      if (!next.weak || !next.target.existing) found.add(next.target.name);
    }
    return found;
  }

  /** The resources, modules and vars a declaration names, outside its own dependsOn. */
  private directDependencies(
    file: BicepFile,
    symbol: BicepSymbol,
  ): { target: BicepSymbol; weak: boolean }[] {
    const reads: [Node, boolean][] = [];
    if (symbol.kind === 'var') {
      if (symbol.value)
        reads.push(...namesRead(symbol.value).map((n): [Node, boolean] => [n, false]));
    } else if (symbol.kind === 'resource' || symbol.kind === 'module') {
      const last = symbol.node.parent?.lastNamedChild;
      const condition = last?.type === 'if_statement' ? last.namedChildren[0] : null;
      if (condition) reads.push(...namesRead(condition).map((n): [Node, boolean] => [n, false]));
      if (symbol.value?.type === 'object') {
        for (const [key, value] of properties(symbol.value)) {
          if (key === 'dependsOn') continue;
          // What parent: and scope: name is only located, never read.
          const located = key === 'parent' || key === 'scope';
          reads.push(...namesRead(value).map((n): [Node, boolean] => [n, located]));
        }
      }
    }
    return reads.flatMap(([node, located]) => {
      const target = file.symbols.get(node.text);
      if (!target || target.kind === 'param' || target === symbol) return [];
      return [{ target, weak: target.kind === 'resource' && (located || weakRead(node)) }];
    });
  }

  /** How many '/' a name has, when it can be told (literal text, also inside an interpolation). */
  /** An expression known not to be a string: a number, a boolean, or a param or var of another type. */
  private notAString(file: BicepFile, node: Node): boolean {
    if (['number', 'boolean', 'array', 'object'].includes(node.type)) return true;
    if (node.type !== 'identifier') return false;
    const symbol = file.symbols.get(node.text);
    if (symbol?.kind === 'param') return symbol.type !== 'string';
    if (symbol?.kind === 'var' && symbol.value) return this.notAString(file, symbol.value);
    return false;
  }

  /**
   * A name that begins `${parent.name}/`, or with the name of a resource of the parent's type
   * declared in this file (use-parent-property's two cases).
   */
  private namesParent(file: BicepFile, name: Node, typeAtVersion: string): boolean {
    const parentType = (typeAtVersion.split('@')[0] ?? '').split('/').slice(0, -1).join('/');
    const prefix = stringValue(name)?.split('/')[0];
    if (prefix !== undefined) {
      return [...file.symbols.values()].some(
        (symbol) =>
          symbol.kind === 'resource' &&
          symbol.type.split('@')[0] === parentType &&
          symbol.value?.type === 'object' &&
          stringValue(properties(symbol.value).find(([key]) => key === 'name')?.[1]) === prefix,
      );
    }
    const [first, second] = name.namedChildren;
    const read = first?.type === 'interpolation' ? first.namedChildren[0] : undefined;
    const object = read?.type === 'member_expression' ? read.childForFieldName('object') : null;
    return (
      read?.childForFieldName('property')?.text === 'name' &&
      file.symbols.get(object?.text ?? '')?.kind === 'resource' &&
      second?.type === 'string_content' &&
      second.text.startsWith('/')
    );
  }

  /** The '/' written in a string name (Bicep's emit checks read the string, never a var). */
  private slashesIn(node: Node): number | undefined {
    if (node.type !== 'string') return undefined;
    return node.namedChildren
      .filter((part) => part?.type === 'string_content')
      .reduce((sum, part) => sum + (part?.text.split('/').length ?? 1) - 1, 0);
  }

  private module(file: BicepFile, statement: Node, parts: Node[]) {
    const relative = stringValue(parts[1]);
    const object = this.bodyOf(file, statement);
    if (!object || relative === undefined) return;
    this.expression(file, object);
    const dependsOn = properties(object).find(([key]) => key === 'dependsOn')?.[1];
    this.checkDependsOn(file, parts[0]!.text, dependsOn);
    if (/^(br|ts)[:/]/.test(relative) || !relative.endsWith('.bicep')) {
      this.notRead(file, parts[1]!, `a module from a registry or an ARM template (${relative})`);
      return;
    }
    const target = path.resolve(path.dirname(file.file), relative);
    if (!existsSync(target)) {
      this.report(file.file, parts[1]!, `module file ${relative} does not exist`);
      return;
    }
    const module = this.read(target);
    file.symbols.get(parts[0]!.text)!.module = module;
    const given = new Map<string, [Node, Node]>();
    for (const [key, value, keyNode] of properties(object)) {
      if (!MODULE_KEYS.has(key)) this.report(file.file, keyNode, `a module has no ${key}`);
      // A module's name, scope and identity must be known when the deployment starts (BCP120).
      const late =
        key === 'scope'
          ? this.lateTarget(file, value)
          : ['name', 'identity'].includes(key)
            ? this.knownLate(file, value, new Set())
            : undefined;
      if (late) {
        this.report(file.file, late, mustBeKnown(`module ${parts[0]!.text}.${key}`, late));
      }
      if (key === 'params' && value.type === 'object') {
        for (const [param, item, paramNode] of properties(value))
          given.set(param, [paramNode, item]);
      }
    }
    for (const [param, [node, value]] of given) {
      const declared = module.symbols.get(param);
      if (declared?.kind !== 'param') {
        this.report(file.file, node, `${relative} has no param ${param}`);
        continue;
      }
      const kind = this.kindOf(file, value);
      const expected = PARAM_KINDS[declared.type];
      if (kind && expected && kind !== expected) {
        this.report(
          file.file,
          value,
          `param ${param} of ${relative} is ${an(declared.type)}, not ${an(kind)}`,
        );
      } else {
        this.checkConstraints(file, value, declared, `param ${param} of ${relative}`);
      }
    }
    for (const symbol of module.symbols.values()) {
      if (symbol.kind === 'param' && !symbol.optional && !given.has(symbol.name)) {
        this.report(file.file, parts[0]!, `${relative} needs param ${symbol.name}`);
      }
    }
  }

  /** A resource's or module's body: `= {...}` or `= if (...) {...}` (whose condition is read). */
  private bodyOf(file: BicepFile, statement: Node): Node | undefined {
    const last = statement.lastNamedChild;
    if (last?.type === 'object') return last;
    if (last?.type === 'if_statement') {
      const [condition, object] = last.namedChildren;
      if (condition) {
        this.expression(file, condition);
        // An existing resource's condition is not checked by Bicep (nothing is deployed).
        const existing = statement.children.some((child) => child?.type === 'existing');
        const late = existing ? undefined : this.knownLate(file, condition, new Set());
        if (late) this.report(file.file, late, mustBeKnown('a condition', late, 'BCP177'));
      }
      if (object?.type === 'object') return object;
    }
    if (last) this.notRead(file, last, last.type);
    return undefined;
  }

  private expression(file: BicepFile, node: Node) {
    switch (node.type) {
      case 'comment':
      case 'number':
      case 'boolean':
      case 'null':
      case 'string_content':
      case 'escape_sequence':
        return;
      case 'identifier':
        return this.use(file, node);
      case 'object': {
        const keys = new Set<string>();
        for (const [key, value, keyNode] of properties(node)) {
          // An interpolated key is only known at deployment: Bicep never calls it a duplicate.
          const interpolated = keyNode.type === 'string' && keyNode.text.includes('${');
          if (keys.has(key) && !interpolated)
            this.report(file.file, keyNode, `${key} is given twice (BCP025)`);
          keys.add(key);
          if (keyNode.type === 'string') this.expression(file, keyNode);
          this.expression(file, value);
        }
        for (const child of node.namedChildren) {
          const nested = child?.firstNamedChild;
          if (nested?.type === 'resource_declaration') {
            this.notRead(file, nested, 'a nested resource');
          }
        }
        return;
      }
      case 'call_expression':
        return this.call(file, node);
      case 'member_expression':
        return this.member(file, node);
      case 'string': {
        const parts = node.namedChildren;
        const isKey =
          node.parent?.type === 'object_property' && node.parent.firstNamedChild?.id === node.id;
        // Bicep looks only at a property's value, a var's, an output's and a param's default, and
        // only when what is interpolated is a string (not '${count}' for an int).
        const checked =
          !isKey &&
          [
            'object_property',
            'variable_declaration',
            'output_declaration',
            'parameter_declaration',
          ].includes(node.parent?.type ?? '') &&
          node.parent?.lastNamedChild?.id === node.id;
        const inner = parts[0]?.namedChildren[0];
        if (
          checked &&
          parts.length === 1 &&
          parts[0]?.type === 'interpolation' &&
          inner &&
          !this.notAString(file, inner)
        ) {
          this.report(
            file.file,
            node,
            `warning simplify-interpolation: write ${parts[0].namedChildren[0]?.text} alone`,
          );
        }
        if (!inDecorator(node, ['description', 'metadata'])) {
          for (const { at, host } of hardcodedHosts(node)) {
            this.reportAt(
              file.file,
              at,
              `warning no-hardcoded-env-urls: ${host} (use environment())`,
            );
          }
        }
        for (const child of parts) if (child) this.expression(file, child);
        return;
      }
      case 'subscript_expression':
        return this.member(file, node);
      case 'array':
        if (misreadArray(node)) {
          this.notRead(file, node, 'an array that begins with a call (the grammar misreads it)');
          return;
        }
        for (const child of node.namedChildren) if (child) this.expression(file, child);
        return;
      case 'interpolation':
      case 'arguments':
      case 'parenthesized_expression':
      case 'ternary_expression':
      case 'binary_expression':
      case 'unary_expression':
        for (const child of node.namedChildren) if (child) this.expression(file, child);
        return;
      default:
        this.notRead(file, node, node.type);
    }
  }

  private use(file: BicepFile, node: Node): BicepSymbol | undefined {
    const symbol = file.symbols.get(node.text);
    if (symbol) symbol.used = true;
    else this.report(file.file, node, `${node.text} is not declared`);
    return symbol;
  }

  private call(file: BicepFile, node: Node) {
    const callee = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    const name =
      callee?.type === 'member_expression' ? callee.childForFieldName('property') : callee;
    if (name && PARAM_DEFAULT_ONLY.has(name.text) && !this.inParamDefault) {
      this.report(file.file, name, `${name.text}() only in a param's default (BCP065)`);
    }
    if (name?.text === 'concat' && args && this.concatOfStrings(file, args)) {
      this.report(file.file, name, 'warning prefer-interpolation: use a string interpolation');
    }
    if (callee?.type === 'identifier') {
      if (!isFunction(callee.text))
        this.report(file.file, callee, `${callee.text}() is not a Bicep function`);
    } else if (callee?.type === 'member_expression') {
      const object = callee.childForFieldName('object');
      const property = callee.childForFieldName('property');
      if (object?.type === 'identifier' && NAMESPACES.has(object.text)) {
        if (property && !isFunction(property.text)) {
          this.report(
            file.file,
            property,
            `${object.text}.${property.text}() is not a Bicep function`,
          );
        }
      } else if (object?.type === 'identifier' && object.text === 'this' && this.inResourceBody) {
        // Bicep declares `this` in a non-existing resource's body (this.exists()).
        if (property && !THIS_FUNCTIONS.has(property.text)) {
          this.report(file.file, property, `this.${property.text}() is not a Bicep function`);
        }
      } else if (object) {
        this.expression(file, object); // a resource's function: kv.getSecret(), site.listKeys()
      }
    } else if (callee) {
      this.notRead(file, callee, `a call of ${callee.type}`);
    }
    if (args) this.expression(file, args);
  }

  /**
   * Whether concat() of these arguments gives a string, which is when Bicep's prefer-interpolation
   * asks for an interpolation: two or more arguments, one of them known to be a string, int or
   * bool (only concat's string overload takes it) and none an array or object (concat's array
   * overload, or no overload). Arguments of unknown type alone match both overloads, which Bicep
   * types as any and leaves alone.
   */
  private concatOfStrings(file: BicepFile, args: Node): boolean {
    const items = args.namedChildren.filter((arg) => arg !== null && arg.type !== 'comment');
    if (items.length < 2) return false;
    const kinds = items.map((arg) => this.kindOf(file, arg!));
    return (
      kinds.some((kind) => kind === 'string' || kind === 'number' || kind === 'boolean') &&
      !kinds.some((kind) => kind === 'array' || kind === 'object')
    );
  }

  /** `a.b.c`: the base is checked, and what is read of a module or (with types) of a resource. */
  private member(file: BicepFile, node: Node) {
    /** The properties read, in order; null for an index (`[0]`, `['key']`). */
    const chain: (Node | null)[] = [];
    let base: Node | null = node;
    while (base?.type === 'member_expression' || base?.type === 'subscript_expression') {
      if (base.type === 'member_expression') {
        const property = base.childForFieldName('property');
        if (property) chain.unshift(property);
      } else {
        const index = base.childForFieldName('index');
        if (index) this.expression(file, index);
        chain.unshift(null);
      }
      base = base.childForFieldName('object');
    }
    if (!base) return;
    if (base.type !== 'identifier') {
      this.expression(file, base);
      return;
    }
    const symbol = this.use(file, base);
    const [first, second] = chain;
    if (symbol?.kind === 'module' && first) {
      if (first.text !== 'outputs' && first.text !== 'name') {
        this.report(file.file, first, `a module has outputs and name, not ${first.text}`);
      } else if (first.text === 'outputs' && second && symbol.module) {
        if (!symbol.module.outputs.has(second.text)) {
          this.report(file.file, second, `module ${symbol.name} has no output ${second.text}`);
        }
      }
    }
    if (symbol?.kind === 'resource' && chain.length > 0) {
      const read = this.readOf(symbol, chain);
      if (read.problem) this.report(file.file, ...read.problem);
    }
  }

  /**
   * The type of what `symbol.a.b[0].c` reads, with Azure's types: undefined where it cannot be
   * told (no types, an open object, an index into something other than an array), or the problem
   * of a property the resource lacks or hides.
   */
  private readOf(
    symbol: BicepSymbol,
    chain: (Node | null)[],
  ): { type?: ResolvedType; problem?: [Node, string] } {
    let type = this.azure?.resource(symbol.type);
    for (const [step, property] of chain.entries()) {
      if (!type) return {};
      if (property === null) {
        // An index: into an array's items; anything else is not followed.
        if (type.type.$type !== 'ArrayType') return {};
        type = resolve(type.table, (type.type as { itemType: TypeRef }).itemType);
        continue;
      }
      const discriminator = step === 0 ? discriminatorOf(type, symbol.value) : undefined;
      const object = propertiesOf(type, discriminator);
      if (!object) return {};
      const found = object.properties[property.text];
      if (!found) {
        return object.open
          ? {}
          : { problem: [property, `${object.name} has no property ${property.text}`] };
      }
      if ((found.flags & WRITE_ONLY) !== 0) {
        const hidden = `${property.text} of ${object.name} is write-only: it cannot be read`;
        return { problem: [property, hidden] };
      }
      type = resolve(type.table, found.type);
    }
    return type ? { type } : {};
  }

  /** What a value is (valueKind), and with Azure's types what a read of a resource gives. */
  private kindOf(file: BicepFile, node: Node): string | undefined {
    const known = valueKind(file, node);
    if (known || !this.azure) return known;
    const chain: (Node | null)[] = [];
    let base: Node | null = node;
    while (base?.type === 'member_expression' || base?.type === 'subscript_expression') {
      chain.unshift(base.type === 'member_expression' ? base.childForFieldName('property') : null);
      base = base.childForFieldName('object');
    }
    const symbol = base?.type === 'identifier' ? file.symbols.get(base.text) : undefined;
    if (symbol?.kind !== 'resource' || chain.length === 0) return undefined;
    const type = this.readOf(symbol, chain).type?.type;
    return (
      {
        StringType: 'string',
        StringLiteralType: 'string',
        IntegerType: 'number',
        BooleanType: 'boolean',
        ArrayType: 'array',
        ObjectType: 'object',
        DiscriminatedObjectType: 'object',
      } as Record<string, string | undefined>
    )[type?.$type ?? ''];
  }

  /** A value given to a param (its default, or a module's) against its decorators. */
  private checkConstraints(file: BicepFile, value: Node, param: BicepSymbol, where: string) {
    const literal = literalOf(file, value, new Set());
    if (literal === undefined || !param.decorators) return;
    const number = (name: string) => {
      const node = param.decorators?.get(name);
      return node ? Number(node.text) : undefined;
    };
    const allowed = param.decorators.get('allowed');
    if (allowed?.type === 'array') {
      const values = allowed.namedChildren
        .filter((item) => item && item.type !== 'comment')
        .map((item) => literalOf(file, item!, new Set()));
      if (!values.includes(literal)) {
        const list = values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');
        this.report(
          file.file,
          value,
          // A default outside @allowed is BCP033; a value given to a module's param, BCP036.
          `${where}: ${JSON.stringify(literal)} is not one of ${list} (${where.startsWith('the default') ? 'BCP033' : 'BCP036'})`,
        );
      }
    }
    const [minLength, maxLength, minValue, maxValue] = [
      'minLength',
      'maxLength',
      'minValue',
      'maxValue',
    ].map(number);
    if (typeof literal === 'string') {
      if (minLength !== undefined && literal.length < minLength) {
        this.report(
          file.file,
          value,
          `${where}: '${literal}' is shorter than ${minLength} (BCP333)`,
        );
      }
      if (maxLength !== undefined && literal.length > maxLength) {
        this.report(
          file.file,
          value,
          `${where}: '${literal}' is longer than ${maxLength} (BCP332)`,
        );
      }
    }
    if (typeof literal === 'number') {
      if (minValue !== undefined && literal < minValue) {
        this.report(file.file, value, `${where}: ${literal} is below ${minValue} (BCP328)`);
      }
      if (maxValue !== undefined && literal > maxValue) {
        this.report(file.file, value, `${where}: ${literal} is above ${maxValue} (BCP327)`);
      }
    }
  }

  /** The default linter's rules on params, outputs and existing resources, once a file is read. */
  private lint(file: BicepFile) {
    for (const symbol of file.symbols.values()) {
      if (symbol.kind === 'param') {
        const secure = symbol.decorators?.has('secure') ?? false;
        if (
          !secure &&
          !symbol.nullable &&
          (symbol.type === 'string' || symbol.type === 'object') &&
          ((SECRET_NAME.test(symbol.name) && !NOT_SECRET_NAME.test(symbol.name)) ||
            // A default taken from a @secure() param is a secret whatever the name.
            (symbol.value !== null &&
              symbol.value !== undefined &&
              this.readsSecret(file, symbol.value, new Set(), false)))
        ) {
          this.report(
            file.file,
            symbol.node,
            `warning secure-secrets-in-params: ${symbol.name} looks like a secret and is not @secure()`,
          );
        }
        const fallback = symbol.value;
        if (
          secure &&
          fallback &&
          !["''", '{}'].includes(fallback.text.replace(/\s/g, '')) &&
          // Bicep accepts any default that calls newGuid(), or whose value is itself secure.
          !/(^|[^\w.]|\bsys\.)newGuid\s*\(/.test(fallback.text) &&
          !(
            fallback.type === 'identifier' &&
            file.symbols.get(fallback.text)?.decorators?.has('secure')
          )
        ) {
          this.report(
            file.file,
            fallback,
            `warning secure-parameter-default: a @secure() param has no default but '' or newGuid()`,
          );
        }
      }
      if (symbol.kind === 'resource' && !symbol.used && symbol.existing && !file.unread) {
        this.report(
          file.file,
          symbol.node,
          `warning no-unused-existing-resources: ${symbol.name} is never used`,
        );
      }
    }
    for (const [name, output] of file.outputs) {
      const value = output.lastNamedChild;
      if (!value || file.secureOutputs.has(name)) continue;
      // The rule looks at an output's name for "password" only (not the params' wider list).
      const secret = /password/i.test(name) || this.readsSecret(file, value, new Set(), false);
      if (secret) {
        this.report(
          file.file,
          output,
          `warning outputs-should-not-contain-secrets: output ${name} may give away a secret`,
        );
      }
    }
  }

  /**
   * Whether an expression reads a @secure() param, a list*() function or getSecret(). Through a
   * var only while the var's value keeps the param's secure type (a read, an object or array
   * holding it): an interpolation or a call makes a plain string, which Bicep does not flag.
   */
  private readsSecret(file: BicepFile, node: Node, seen: Set<Node>, viaVar: boolean): boolean {
    if (node.type === 'identifier') {
      const symbol = file.symbols.get(node.text);
      if (symbol?.kind === 'param') return symbol.decorators?.has('secure') ?? false;
      if (symbol?.kind === 'var' && symbol.value && !seen.has(symbol.value)) {
        seen.add(symbol.value);
        return this.readsSecret(file, symbol.value, seen, true);
      }
      return false;
    }
    if (viaVar && (node.type === 'string' || node.type === 'call_expression')) return false;
    if (node.type === 'call_expression') {
      const callee = node.childForFieldName('function');
      const name =
        callee?.type === 'member_expression' ? callee.childForFieldName('property') : callee;
      if (name && (/^list[A-Za-z]/.test(name.text) || name.text === 'getSecret')) return true;
    }
    if (node.type === 'member_expression') {
      const object = node.childForFieldName('object');
      return object ? this.readsSecret(file, object, seen, viaVar) : false;
    }
    return node.namedChildren.some(
      (child) => child !== null && this.readsSecret(file, child, seen, viaVar),
    );
  }

  /**
   * The first part of an expression that is only known once a resource has been deployed (its
   * properties other than id, name, type and apiVersion, a module's outputs, reference() and
   * list*()), or undefined: what Bicep calls BCP120 where a value must be known at the start.
   */
  private knownLate(file: BicepFile, node: Node, seen: Set<Node>): Node | undefined {
    if (node.type === 'identifier') {
      const symbol = file.symbols.get(node.text);
      if (symbol?.kind === 'var' && symbol.value && !seen.has(symbol.value)) {
        seen.add(symbol.value);
        return this.knownLate(file, symbol.value, seen) ? node : undefined;
      }
      return symbol?.kind === 'resource' || symbol?.kind === 'module' ? node : undefined;
    }
    if (node.type === 'member_expression') {
      const chain: string[] = [];
      let base: Node | null = node;
      while (base?.type === 'member_expression') {
        chain.unshift(base.childForFieldName('property')?.text ?? '');
        base = base.childForFieldName('object');
      }
      const symbol = base?.type === 'identifier' ? file.symbols.get(base.text) : undefined;
      if (symbol?.kind === 'resource') {
        const read = chain[0] ?? '';
        if (!START_PROPERTIES.has(read)) return node;
        // An existing resource whose name, parent or scope is only known later is read at
        // deployment (Bicep inlines it): its id is not known at the start, nor its late name.
        if (read === 'id' && this.inlined(file, symbol)) return node;
        if (read === 'name' && symbol.existing && this.lateKey(file, symbol, 'name')) return node;
        return undefined;
      }
      if (symbol?.kind === 'module') return chain[0] === 'name' ? undefined : node;
      return base ? this.knownLate(file, base, seen) : undefined;
    }
    if (node.type === 'call_expression') {
      const callee = node.childForFieldName('function');
      const name =
        callee?.type === 'member_expression' ? callee.childForFieldName('property') : callee;
      const object =
        callee?.type === 'member_expression' ? callee.childForFieldName('object') : null;
      if (object && !(object.type === 'identifier' && NAMESPACES.has(object.text))) return node;
      // nameof(x) is the symbol's name, written at compile time: its argument is not read.
      if (name?.text === 'nameof') return undefined;
      if (name && (RUNTIME_FUNCTIONS.has(name.text) || /^list[A-Za-z]/.test(name.text))) {
        return node;
      }
      const args = node.childForFieldName('arguments');
      return args ? this.knownLate(file, args, seen) : undefined;
    }
    for (const child of node.namedChildren) {
      const late = child && this.knownLate(file, child, seen);
      if (late) return late;
    }
    return undefined;
  }

  /** A key of a resource's body (name, parent, scope) whose value is only known later. */
  private lateKey(file: BicepFile, symbol: BicepSymbol, key: string): Node | undefined {
    if (symbol.value?.type !== 'object' || this.following.has(symbol)) return undefined;
    const value = properties(symbol.value).find(([name]) => name === key)?.[1];
    if (!value) return undefined;
    this.following.add(symbol);
    try {
      return key === 'name' ? this.knownLate(file, value, new Set()) : this.lateTarget(file, value);
    } finally {
      this.following.delete(symbol);
    }
  }

  /**
   * Whether Bicep inlines an existing resource (reads it where it is used, not at the start):
   * when its name is only known later, or its parent or the resource it is scoped to is inlined.
   */
  private inlined(file: BicepFile, symbol: BicepSymbol): boolean {
    if (!symbol.existing || symbol.value?.type !== 'object') return false;
    if (this.lateKey(file, symbol, 'name')) return true;
    return properties(symbol.value).some(([key, value]) => {
      if (key !== 'parent' && key !== 'scope') return false;
      const target = value.type === 'identifier' ? file.symbols.get(value.text) : undefined;
      if (target?.kind !== 'resource' || this.following.has(symbol)) return false;
      this.following.add(symbol);
      try {
        return this.inlined(file, target);
      } finally {
        this.following.delete(symbol);
      }
    });
  }

  /**
   * What is only known later in a parent: or scope: (which must be known at the start): a whole
   * resource there is, when it is an existing one Bicep inlines and whose name, parent or scope is
   * only known later.
   */
  private lateTarget(file: BicepFile, value: Node): Node | undefined {
    const target = value.type === 'identifier' ? file.symbols.get(value.text) : undefined;
    if (target?.kind !== 'resource') return this.knownLate(file, value, new Set());
    // Only an inlined resource's name, parent and scope are checked (scope: resourceGroup(late)
    // alone does not inline it).
    if (!this.inlined(file, target)) return undefined;
    const late = ['name', 'parent', 'scope'].some((key) => this.lateKey(file, target, key));
    return late ? value : undefined;
  }

  /**
   * Whether use-secure-value-for-secure-inputs flags this value of a secure property. Bicep flags
   * a value whose type is not secure, but only one known when the deployment starts (not one read
   * from a resource). Not secure: a literal but '', an interpolation, an object or array, a param
   * without @secure(), a property of an `object` param (`any`, even when the param is secure) or
   * of what a function gives (environment().x), and what a function gives, but for those whose
   * result keeps their first argument's type (toLower(), trim(), ...). Anything else is passed.
   */
  private insecure(file: BicepFile, value: Node, seen: Set<Node>): boolean {
    if (this.knownLate(file, value, new Set())) return false;
    switch (value.type) {
      case 'string':
        return stringValue(value) !== '';
      case 'number':
      case 'boolean':
      case 'object':
      case 'array':
        return true;
      case 'parenthesized_expression': {
        const inner = value.namedChildren[0];
        return inner ? this.insecure(file, inner, seen) : false;
      }
      case 'identifier': {
        const symbol = file.symbols.get(value.text);
        if (symbol?.kind === 'param') return !symbol.decorators?.has('secure');
        if (symbol?.kind !== 'var' || !symbol.value || seen.has(symbol.value)) return false;
        seen.add(symbol.value);
        return this.insecure(file, symbol.value, seen);
      }
      case 'call_expression': {
        const callee = value.childForFieldName('function');
        const name =
          callee?.type === 'member_expression' ? callee.childForFieldName('property') : callee;
        if (!KEEPS_FIRST_ARGUMENT.has(name?.text ?? '')) return true;
        const first = value.childForFieldName('arguments')?.namedChildren[0];
        return first ? this.insecure(file, first, seen) : false;
      }
      case 'member_expression': {
        let base: Node | null = value;
        while (base?.type === 'member_expression') base = base.childForFieldName('object');
        if (base?.type === 'call_expression') return true;
        const symbol = base?.type === 'identifier' ? file.symbols.get(base.text) : undefined;
        return symbol?.kind === 'param' && symbol.type === 'object';
      }
      default:
        return false;
    }
  }

  /** A value written in a resource against Azure's type for it. */
  private checkValue(
    file: BicepFile,
    value: Node,
    expected: ResolvedType,
    where: string,
    keywords = new Set<string>(),
    seen = new Set<Node>(),
  ) {
    const problems = this.mismatches(file, value, expected, where, keywords, seen);
    for (const [node, message] of problems) this.report(file.file, node, message);
  }

  private mismatches(
    file: BicepFile,
    value: Node,
    expected: ResolvedType,
    where: string,
    keywords: Set<string>,
    seen: Set<Node>,
  ): [Node, string][] {
    const { table, type } = expected;
    // What the value is: a literal, or a name that stands for one
    if (value.type === 'parenthesized_expression' && value.namedChildren[0]) {
      return this.mismatches(file, value.namedChildren[0], expected, where, keywords, seen);
    }
    if (value.type === 'ternary_expression') {
      return ['consequence', 'alternative'].flatMap((field) => {
        const branch = value.childForFieldName(field);
        return branch ? this.mismatches(file, branch, expected, where, keywords, seen) : [];
      });
    }
    if (value.type === 'identifier') {
      const symbol = file.symbols.get(value.text);
      if (symbol?.kind === 'var' && symbol.value && !seen.has(symbol.value)) {
        seen.add(symbol.value);
        return this.mismatches(file, symbol.value, expected, where, keywords, seen).map(
          ([, message]) => [value, `${message} (var ${symbol.name})`],
        );
      }
    }
    const given = valueKind(file, value);
    switch (type.$type) {
      case 'AnyType':
        return [];
      case 'UnionType': {
        const options = (type as { elements: TypeRef[] }).elements.map((element) =>
          this.mismatches(file, value, resolve(table, element), where, keywords, new Set(seen)),
        );
        if (options.some((found) => found.length === 0)) return [];
        const literal = stringValue(value);
        const allowed = (type as { elements: TypeRef[] }).elements
          .map((element) => resolve(table, element).type)
          .filter((element) => element.$type === 'StringLiteralType')
          .map((element) => `'${(element as { value: string }).value}'`);
        if (literal !== undefined && allowed.length > 0) {
          return [[value, `${where}: '${literal}' is not one of ${allowed.join(', ')}`]];
        }
        return options.sort((a, b) => a.length - b.length)[0] ?? [];
      }
      case 'StringLiteralType': {
        const wanted = (type as { value: string }).value;
        const literal = stringValue(value);
        if (literal !== undefined && literal !== wanted)
          return [[value, `${where}: '${literal}' where '${wanted}' is expected`]];
        return given === 'string' || given === undefined
          ? []
          : [[value, `${where}: ${an(given)} where a string is expected`]];
      }
      case 'StringType': {
        const literal = stringValue(value);
        const { minLength, maxLength, pattern, sensitive } = type as {
          minLength?: number;
          maxLength?: number;
          pattern?: string;
          sensitive?: boolean;
        };
        const insecure: [Node, string][] =
          sensitive && this.insecure(file, value, new Set()) ? [[value, secureInput(where)]] : [];
        if (literal !== undefined && pattern !== undefined && !matches(pattern, literal)) {
          return [
            ...insecure,
            [value, `${where}: '${literal}' does not match ${pattern} (BCP416)`],
          ];
        }
        if (literal !== undefined && minLength !== undefined && literal.length < minLength) {
          return [...insecure, [value, `${where}: '${literal}' is shorter than ${minLength}`]];
        }
        if (literal !== undefined && maxLength !== undefined && literal.length > maxLength) {
          return [...insecure, [value, `${where}: '${literal}' is longer than ${maxLength}`]];
        }
        return given === 'string' || given === undefined
          ? insecure
          : [...insecure, [value, `${where}: ${an(given)} where a string is expected`]];
      }
      case 'IntegerType': {
        const { minValue, maxValue } = type as { minValue?: number; maxValue?: number };
        const number = value.type === 'number' ? Number(value.text) : undefined;
        if (number !== undefined && minValue !== undefined && number < minValue)
          return [[value, `${where}: ${number} is below ${minValue}`]];
        if (number !== undefined && maxValue !== undefined && number > maxValue)
          return [[value, `${where}: ${number} is above ${maxValue}`]];
        return given === 'number' || given === undefined
          ? []
          : [[value, `${where}: ${an(given)} where a number is expected`]];
      }
      case 'BooleanType':
        return given === 'boolean' || given === undefined
          ? []
          : [[value, `${where}: ${an(given)} where a boolean is expected`]];
      case 'ArrayType':
        if (value.type !== 'array') {
          return given === 'array' || given === undefined
            ? []
            : [[value, `${where}: ${an(given)} where an array is expected`]];
        }
        return value.namedChildren.flatMap((item) =>
          item && item.type !== 'comment'
            ? this.mismatches(
                file,
                item,
                resolve(table, (type as { itemType: TypeRef }).itemType),
                `${where}[]`,
                new Set(),
                seen,
              )
            : [],
        );
      case 'ObjectType':
      case 'DiscriminatedObjectType': {
        // A sensitive object (a VM extension's protectedSettings) is a secure input too.
        const insecure: [Node, string][] =
          (type as { sensitive?: boolean }).sensitive && this.insecure(file, value, new Set())
            ? [[value, secureInput(where)]]
            : [];
        if (value.type !== 'object') {
          return given === 'object' || given === undefined
            ? insecure
            : [...insecure, [value, `${where}: ${an(given)} where an object is expected`]];
        }
        const picked = discriminatorOf(expected, value);
        if (type.$type === 'DiscriminatedObjectType' && picked !== undefined) {
          const { discriminator, elements } = type as { discriminator: string; elements: object };
          const names = Object.keys(elements);
          if (!names.includes(picked)) {
            const at = properties(value).find(([key]) => key === discriminator)?.[1] ?? value;
            return [
              ...insecure,
              [at, `${where}: ${discriminator} '${picked}' is not one of ${names.join(', ')}`],
            ];
          }
        }
        const object = propertiesOf(expected, picked);
        if (!object) return [];
        const found: [Node, string][] = [...insecure];
        const keys = new Set<string>();
        for (const [key, item, keyNode] of properties(value)) {
          keys.add(key);
          if (keywords.has(key)) continue;
          const property = object.properties[key];
          const type = property?.type ?? object.open;
          if (!type) {
            found.push([keyNode, `${where}: ${object.name} has no property ${key}`]);
            continue;
          }
          if (property && (property.flags & READ_ONLY) !== 0) {
            found.push([keyNode, `${where}: ${key} is read-only`]);
            continue;
          }
          const inner = resolve(table, type);
          found.push(...this.mismatches(file, item, inner, `${where}.${key}`, new Set(), seen));
        }
        for (const [key, property] of Object.entries(object.properties)) {
          if (
            (property.flags & REQUIRED) !== 0 &&
            (property.flags & READ_ONLY) === 0 &&
            !keys.has(key)
          ) {
            found.push([value, `${where}: ${object.name} needs ${key}`]);
          }
        }
        return found;
      }
      default:
        return [];
    }
  }
}

/** use-secure-value-for-secure-inputs's warning for a property. */
const secureInput = (where: string) =>
  `warning use-secure-value-for-secure-inputs: ${where} takes a @secure() param`;

/** A word with its article: an int, a string. */
const an = (word: string) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;

/**
 * A literal against a types.json pattern, which Bicep tests with .NET's Regex (NonBacktracking).
 * Where JavaScript's RegExp may read the pattern otherwise (see dotNetRegex), the literal passes.
 */
function matches(pattern: string, literal: string): boolean {
  return dotNetRegex(pattern, literal)?.test(literal) ?? true;
}

/** .NET's anchors \A, \z and \Z written as JavaScript's, outside character classes. */
function withJavaScriptAnchors(pattern: string): string {
  const anchors: Record<string, string | undefined> = { A: '^', z: '$', Z: '(?=\\n?$)' };
  let result = '';
  let inClass = false;
  for (let at = 0; at < pattern.length; at += 1) {
    const char = pattern[at]!;
    if (char === '\\') {
      const next = pattern[at + 1] ?? '';
      result += (inClass ? undefined : anchors[next]) ?? char + next;
      at += 1;
      continue;
    }
    if (char === '[') inClass = true;
    else if (char === ']') inClass = false;
    result += char;
  }
  return result;
}

/**
 * The pattern as a JavaScript RegExp that gives .NET's answer for this literal, or undefined
 * where they may differ: syntax .NET has and JavaScript lacks or reads otherwise (\G, inline
 * options, `(?'name'`, class subtraction `[a-z-[aeiou]]`, `[]` and `[^]`),
 * constructs NonBacktracking refuses (lookarounds, backreferences, atomic groups, conditionals),
 * \w, \d, \s and \b (Unicode in .NET) before a literal that is not ASCII, `$` (also before a
 * final new line in .NET) before one that ends in a new line, and `.` before \r or \u2028.
 * \p{L} is read with the u flag, without which JavaScript takes it for "p{L}"; \A, \z and \Z
 * are written as JavaScript's anchors.
 */
function dotNetRegex(pattern: string, literal: string): RegExp | undefined {
  const dotNetOnly = /\\[Gk\d]|\(\?[imnsx-]+[:)]|\(\?['<>=!(]|-\[|\[\^?\]/;
  if (dotNetOnly.test(pattern)) return undefined;
  if (/\P{ASCII}/u.test(literal) && /\\[wWdDsSbB]/.test(pattern)) return undefined;
  if (literal.endsWith('\n') && pattern.includes('$')) return undefined;
  if (/[\r\u2028\u2029]/.test(literal) && pattern.includes('.')) return undefined;
  if (/[\ud800-\udfff]/.test(literal)) return undefined; // counted as two by .NET, one by u
  const source = withJavaScriptAnchors(pattern);
  try {
    return new RegExp(source, 'u');
  } catch {
    if (/\\[pP]/.test(pattern)) return undefined;
    try {
      return new RegExp(source);
    } catch {
      return undefined;
    }
  }
}

/**
 * tree-sitter-bicep 1.1.0 reads `[f(x)]` as two items, `f` and `(x)`: items Bicep would need a
 * comma or a new line between, so two items on one line with no comma between show it.
 */
function misreadArray(array: Node): boolean {
  let previous: Node | null = null;
  for (const child of array.children) {
    if (!child || child.type === 'comment') continue;
    if (child.type === ',') previous = null;
    else if (child.isNamed) {
      if (previous && previous.endPosition.row === child.startPosition.row) return true;
      previous = child;
    }
  }
  return false;
}

/**
 * The names an expression reads: its identifiers, not object keys, the properties read of
 * something (`a.b`'s b) or the functions called.
 */
function namesRead(node: Node): Node[] {
  if (node.type === 'identifier') return [node];
  if (node.type === 'object') {
    return properties(node).flatMap(([, value, key]) => [
      ...(key.type === 'string' ? namesRead(key) : []),
      ...namesRead(value),
    ]);
  }
  if (node.type === 'member_expression') {
    const object = node.childForFieldName('object');
    return object ? namesRead(object) : [];
  }
  if (node.type === 'call_expression') {
    const callee = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    return [
      ...(callee?.type === 'member_expression' ? namesRead(callee) : []),
      ...(args ? namesRead(args) : []),
    ];
  }
  return node.namedChildren.flatMap((child) => (child ? namesRead(child) : []));
}

/**
 * Whether a resource's name is read weakly: for its id, name, type or apiVersion (`.id` or
 * `['id']`, known without reading the resource) or to call a function on it (`kv.getSecret()`).
 */
function weakRead(name: Node): boolean {
  const parent = name.parent;
  if (parent?.childForFieldName('object')?.id !== name.id) return false;
  if (parent.type === 'member_expression') {
    const call = parent.parent;
    if (call?.type === 'call_expression' && call.childForFieldName('function')?.id === parent.id)
      return true;
    return START_PROPERTIES.has(parent.childForFieldName('property')?.text ?? '');
  }
  if (parent.type === 'subscript_expression') {
    return START_PROPERTIES.has(stringValue(parent.childForFieldName('index')) ?? '');
  }
  return false;
}

/**
 * The hosts no-hardcoded-env-urls finds in a string, where Bicep's rule finds them. It reads the
 * string's tokens as written (`'https://${`, `}.vault.azure.net'`: quotes, `${` and `}` and
 * escapes included), skips a token shorter than the shortest host and stops at the first longer
 * one without a host, so a host after an interpolation is missed when the text before it is long;
 * a host counts only where no letter or digit touches it, one inside a longer one found first
 * (management.core.windows.net) is not counted again, and none that overlaps an excluded host.
 */
function hardcodedHosts(string: Node): { at: { row: number; column: number }; host: string }[] {
  if (string.text.length <= SHORTEST_HOST) return [];
  const found: { at: { row: number; column: number }; host: string }[] = [];
  for (const token of stringTokens(string)) {
    const text = token.map((piece) => piece.text).join('');
    if (text.length < SHORTEST_HOST) continue;
    const hosts = ENVIRONMENT_HOSTS.flatMap((host) => wholeMatches(host, text));
    if (hosts.length === 0) break;
    const excluded = EXCLUDED_HOSTS.flatMap((host) => wholeMatches(host, text));
    const overlaps = (a: { at: number; text: string }, b: { at: number; text: string }) =>
      a.at < b.at + b.text.length && b.at < a.at + a.text.length;
    let previous: { at: number; text: string } | undefined;
    for (const match of hosts.sort((a, b) => a.at - b.at || b.text.length - a.text.length)) {
      if (previous && overlaps(previous, match)) continue;
      previous = match;
      if (excluded.some((exclusion) => overlaps(exclusion, match))) continue;
      found.push({ at: positionIn(token, match.at), host: match.text });
    }
  }
  return found;
}

/** A string's tokens as Bicep's lexer cuts them (at each interpolation), as pieces of the tree. */
function stringTokens(string: Node): { node: Node; text: string }[][] {
  const tokens: { node: Node; text: string }[][] = [[]];
  for (const child of string.children) {
    if (!child) continue;
    if (child.type !== 'interpolation') {
      tokens[tokens.length - 1]!.push({ node: child, text: child.text });
      continue;
    }
    const [open, close] = [child.firstChild, child.lastChild];
    if (open) tokens[tokens.length - 1]!.push({ node: open, text: open.text });
    tokens.push(close ? [{ node: close, text: close.text }] : []);
  }
  return tokens;
}

/** Where the host is, case ignored, with no letter or digit (of any script) just before or after. */
function wholeMatches(host: string, text: string): { at: number; text: string }[] {
  const touches = (char: string | undefined) => char !== undefined && /[\p{L}\p{Nd}]/u.test(char);
  const found: { at: number; text: string }[] = [];
  for (let at = 0; at <= text.length - host.length; at += 1) {
    if (text.slice(at, at + host.length).toLowerCase() !== host) continue;
    if (!touches(text[at - 1]) && !touches(text[at + host.length])) {
      found.push({ at, text: text.slice(at, at + host.length) });
    }
    at += host.length - 1; // the next search starts after this one, as Bicep's does
  }
  return found;
}

/** The line and column of an offset into a token's text. */
function positionIn(token: { node: Node; text: string }[], offset: number) {
  let rest = offset;
  for (const { node, text } of token) {
    if (rest < text.length || node === token[token.length - 1]?.node) {
      const lines = text.slice(0, rest).split('\n');
      const { row, column } = node.startPosition;
      return lines.length > 1
        ? { row: row + lines.length - 1, column: lines[lines.length - 1]!.length }
        : { row, column: column + rest };
    }
    rest -= text.length;
  }
  return { row: 0, column: 0 };
}

/** A literal's value, through vars: a string, number or boolean; undefined when not one. */
function literalOf(
  file: BicepFile,
  node: Node,
  seen: Set<Node>,
): string | number | boolean | undefined {
  if (node.type === 'string') return stringValue(node);
  if (node.type === 'number') return Number(node.text);
  if (node.type === 'boolean') return node.text === 'true';
  if (node.type === 'unary_expression' && node.text.startsWith('-')) {
    const inner = node.childForFieldName('argument');
    return inner?.type === 'number' ? -Number(inner.text) : undefined;
  }
  if (node.type === 'identifier') {
    const symbol = file.symbols.get(node.text);
    if (symbol?.kind === 'var' && symbol.value && !seen.has(symbol.value)) {
      seen.add(symbol.value);
      return literalOf(file, symbol.value, seen);
    }
  }
  return undefined;
}

function mustBeKnown(where: string, late: Node, code = 'BCP120'): string {
  return `${where} must be known when the deployment starts, and ${late.text} is only known later (${code})`;
}

// ------------------------------------------------------------------------------------------------
// Small readers of the tree

/** An object's properties as [key, value, key node]. */
function properties(object: Node): [string, Node, Node][] {
  const result: [string, Node, Node][] = [];
  for (const property of object.namedChildren) {
    if (property?.type !== 'object_property') continue;
    const keyNode = property.namedChildren[0];
    const value = property.lastNamedChild;
    if (!keyNode || !value || value.id === keyNode.id) continue;
    result.push([stringValue(keyNode) ?? keyNode.text, value, keyNode]);
  }
  return result;
}

/** Bicep's escapes: \n, \r, \t, \u{...}, and \\, \' and \$ for themselves. */
function unescape(escape: string): string {
  const code = /^\\u\{([0-9a-fA-F]+)\}$/.exec(escape)?.[1];
  if (code) return String.fromCodePoint(parseInt(code, 16));
  const char = escape.slice(1);
  return ({ n: '\n', r: '\r', t: '\t' } as Record<string, string | undefined>)[char] ?? char;
}

/** A string literal's text (escapes undone), undefined for anything else or an interpolated one. */
function stringValue(node: Node | null | undefined): string | undefined {
  if (node?.type !== 'string') return undefined;
  let text = '';
  for (const part of node.namedChildren) {
    if (part?.type === 'string_content') text += part.text;
    else if (part?.type === 'escape_sequence') text += unescape(part.text);
    else return undefined;
  }
  return text;
}

/** What a value of each of a param's declared types is. */
const PARAM_KINDS: Record<string, string | undefined> = {
  string: 'string',
  int: 'number',
  bool: 'boolean',
  object: 'object',
  array: 'array',
};

function literalKind(
  node: Node,
): 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null' | undefined {
  return (
    {
      string: 'string',
      number: 'number',
      boolean: 'boolean',
      object: 'object',
      array: 'array',
      null: 'null',
    } as const
  )[node.type as 'string'];
}

/** What a value is when it can be told without evaluating it: a literal or a typed param. */
function valueKind(file: BicepFile, node: Node, seen = new Set<Node>()): string | undefined {
  const literal = literalKind(node);
  if (literal) return literal === 'null' ? undefined : literal;
  if (node.type === 'identifier') {
    const symbol = file.symbols.get(node.text);
    if (symbol?.kind === 'param') return PARAM_KINDS[symbol.type];
    if (symbol?.kind === 'var' && symbol.value && !seen.has(symbol.value)) {
      seen.add(symbol.value);
      return valueKind(file, symbol.value, seen);
    }
  }
  if (node.type === 'parenthesized_expression' && node.namedChildren[0]) {
    return valueKind(file, node.namedChildren[0], seen);
  }
  return undefined;
}

function body(statement: Node): Node | null {
  const last = statement.lastNamedChild;
  if (last?.type === 'if_statement') return last.namedChildren[1] ?? null;
  return last;
}

/**
 * What a param's declared type is at bottom, as a decorator sees it: `string[]` an array,
 * `'a' | 'b'` a string, `1 | 2` an int, `{...}` an object; undefined for a type this check does
 * not resolve (a user-defined type's name), which is never reported.
 */
function kindOfType(type: string): string | undefined {
  const text = type.trim();
  if (['string', 'int', 'bool', 'object', 'array'].includes(text)) return text;
  if (text.endsWith('[]')) return 'array';
  if (text.startsWith('{')) return 'object';
  const members = text.split('|').map((member) => member.trim());
  if (members.every((m) => /^'.*'$/.test(m))) return 'string';
  if (members.every((m) => /^-?\d+$/.test(m))) return 'int';
  if (members.every((m) => m === 'true' || m === 'false')) return 'bool';
  return undefined;
}

/**
 * Whether a node is documentation: inside a `metadata` declaration or the arguments of one of
 * these decorators (`@description('...')`).
 */
function inDecorator(node: Node, names: string[]): boolean {
  for (let at: Node | null = node.parent; at; at = at.parent) {
    if (at.type === 'metadata_declaration') return true;
    if (at.type === 'decorator') {
      const callee = at.namedChildren[0]?.childForFieldName('function');
      const name = callee?.type === 'member_expression' ? callee.lastNamedChild : callee;
      return names.includes(name?.text ?? '');
    }
  }
  return false;
}

/** The names of the decorators in a `decorators` node (`@secure()`, `@sys.description(...)`). */
function decoratorNames(decorators: Node | undefined): string[] {
  return (decorators?.namedChildren ?? []).flatMap((decorator) => {
    const callee = decorator?.namedChildren[0]?.childForFieldName('function');
    const name = callee?.type === 'member_expression' ? callee.lastNamedChild : callee;
    return name ? [name.text] : [];
  });
}

/** The literal that picks a discriminated type's element (e.g. a site config's name). */
function discriminatorOf(type: ResolvedType, object: Node | null | undefined): string | undefined {
  if (type.type.$type !== 'DiscriminatedObjectType' || object?.type !== 'object') return undefined;
  const key = (type.type as { discriminator: string }).discriminator;
  const entry = properties(object).find(([name]) => name === key);
  const value = entry ? stringValue(entry[1]) : undefined;
  return key === 'name' ? value?.split('/').pop() : value;
}

// ------------------------------------------------------------------------------------------------

export interface BicepReport {
  problems: BicepProblem[];
  /** The files read (`entry` and its modules). */
  files: string[];
  /** The resources found among Azure's types, as `Type@apiVersion` (none without them). */
  resources: string[];
}

/** Every problem found in `entry` and the modules it reads. */
export async function checkBicep(
  entry: string,
  options: { azureTypes?: AzureTypes } = {},
): Promise<BicepReport> {
  const checker = new Checker(await bicepParser(), options.azureTypes);
  checker.read(path.resolve(entry));
  const problems = checker.problems.sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
  return { problems, files: checker.fileNames(), resources: checker.resources };
}

export function formatProblem(problem: BicepProblem, root = process.cwd()): string {
  return `${path.relative(root, problem.file)}:${problem.line}:${problem.column} ${problem.message}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const typesAt = args.indexOf('--types');
  const generated = typesAt >= 0 ? args.splice(typesAt, 2)[1] : undefined;
  const entry = args[0] ?? 'infra/main.bicep';
  const azureTypes = generated ? new AzureTypes(generated) : undefined;
  const report = await checkBicep(entry, azureTypes ? { azureTypes } : {});
  for (const problem of report.problems) console.log(formatProblem(problem));
  console.log(
    `${report.problems.length} problem(s) in ${report.files.length} file(s)` +
      (azureTypes
        ? `; ${report.resources.length} resource(s) found among Azure's types in ${generated}` +
          ` (${[...new Set(report.resources)].sort().join(', ')})`
        : "; no --types, so resources were not checked against Azure's types"),
  );
  // As `bicep build`: warnings alone (the linter's) do not fail the run.
  process.exitCode = report.problems.some((p) => !p.message.startsWith('warning ')) ? 1 : 0;
}
