/**
 * A check of the Bicep files in infra/ for a machine that has no Bicep compiler (it is a .NET
 * program, and neither .NET nor GitHub's releases can be reached here). It reads the files with
 * tree-sitter's Bicep grammar (web-tree-sitter, WebAssembly: nothing to build) and reports what
 * `bicep build` would refuse or its default linter would warn about, for the part of the language
 * infra/ uses:
 *
 * - syntax errors;
 * - a name used but never declared, declared twice, or declared and never used (params, vars);
 * - a function or decorator Bicep does not have;
 * - a module whose file is missing, a parameter it does not declare, a required one not given,
 *   an output it does not have;
 * - with Azure's published resource types (the `generated` folder of github.com/Azure/bicep-types-az,
 *   the definitions the compiler itself loads): a resource type or API version that does not exist,
 *   a property the type does not have, a read-only property set, a required one missing, a literal
 *   of the wrong type or outside an enumeration, and a read of a property a resource does not have.
 *
 * Constructs it does not read (loops, lambdas, user-defined types and functions, imports) are
 * reported as such, never skipped, so a pass means every line was read.
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

const FUNCTIONS = new Set(
  (
    'any array base64 base64ToJson base64ToString bool buildUri cidrHost cidrSubnet coalesce concat ' +
    'contains dataUri dataUriToString dateTimeAdd dateTimeFromEpoch dateTimeToEpoch deployer ' +
    'deployment empty endsWith environment extensionResourceId filter first flatten format ' +
    'getSecret groupBy guid indexOf int intersection items join json last lastIndexOf length ' +
    'loadFileAsBase64 loadJsonContent loadTextContent loadYamlContent managementGroup ' +
    'managementGroupResourceId map mapValue max min newGuid objectKeys padLeft parseCidr ' +
    'parseUri pickZones providers range readEnvironmentVariable reduce reference replace ' +
    'resourceGroup resourceId shallowMerge skip sort split startsWith string subscription ' +
    'subscriptionResourceId substring take tenant tenantResourceId toLower toObject toUpper trim ' +
    'tryGet union uniqueString uri uriComponent uriComponentToString utcNow'
  ).split(' '),
);
const DECORATORS = new Set(
  (
    'allowed batchSize description discriminator export maxLength maxValue metadata minLength ' +
    'minValue onlyIfNotExists sealed secure'
  ).split(' '),
);
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
}

interface BicepFile {
  file: string;
  /** Something in it was not read, so whether a name is used cannot be told. */
  unread?: boolean;
  symbols: Map<string, BicepSymbol>;
  outputs: Map<string, Node>;
}

// ------------------------------------------------------------------------------------------------
// Azure's resource types (bicep-types-az's generated/<service>/<provider>/<apiVersion>/types.json)

const REQUIRED = 1;
const READ_ONLY = 2;
const WRITE_ONLY = 4;
const DEPLOY_TIME_CONSTANT = 8;

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
    const { row, column } = node.startPosition;
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
    const result: BicepFile = { file, symbols: new Map(), outputs: new Map() };
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
    for (const symbol of result.symbols.values()) {
      if (!result.unread && !symbol.used && (symbol.kind === 'param' || symbol.kind === 'var')) {
        this.report(file, symbol.node, `${symbol.kind} ${symbol.name} is declared but never used`);
      }
    }
    return result;
  }

  private declare(file: BicepFile, root: Node) {
    for (const statement of root.namedChildren) {
      if (!statement) continue;
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
        symbol.optional = parts.length > 2 || Boolean(typeNode?.text.endsWith('?'));
        symbol.value = parts[2] ?? null;
      } else if (kind === 'var') {
        symbol.value = parts[1] ?? null;
      } else {
        symbol.type = stringValue(parts[1]) ?? '';
        symbol.value = body(statement);
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
          this.expression(file, parts[2]);
          const declared = parts[1]?.text.replace(/\?$/, '');
          const given = literalKind(parts[2]);
          const expected = PARAM_KINDS[declared ?? ''];
          if (expected && given && given !== expected) {
            this.report(
              file.file,
              parts[2],
              `the default of ${parts[0]?.text} is a ${given}, not a ${declared}`,
            );
          }
        }
        return;
      case 'variable_declaration':
      case 'output_declaration':
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
    this.expression(file, object);
    if (!this.azure) return;
    const type = this.azure.resource(typeAtVersion);
    if (!type) {
      this.report(file.file, parts[1]!, `Azure publishes no resource type ${typeAtVersion}`);
      return;
    }
    this.resources.push(typeAtVersion);
    if (existing) return;
    this.checkValue(file, object, type, typeAtVersion, RESOURCE_KEYWORDS);
  }

  private module(file: BicepFile, statement: Node, parts: Node[]) {
    const relative = stringValue(parts[1]);
    const object = this.bodyOf(file, statement);
    if (!object || relative === undefined) return;
    this.expression(file, object);
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
      const late = key === 'name' ? this.knownLate(file, value, new Set()) : undefined;
      if (late) this.report(file.file, late, mustBeKnown(`module ${parts[0]!.text}.name`, late));
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
      const kind = valueKind(file, value);
      const expected = PARAM_KINDS[declared.type];
      if (kind && expected && kind !== expected) {
        this.report(
          file.file,
          value,
          `param ${param} of ${relative} is a ${declared.type}, not a ${kind}`,
        );
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
      if (condition) this.expression(file, condition);
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
      case 'object':
        for (const [, value, keyNode] of properties(node)) {
          if (keyNode.type === 'string') this.expression(file, keyNode);
          this.expression(file, value);
        }
        return;
      case 'call_expression':
        return this.call(file, node);
      case 'member_expression':
        return this.member(file, node);
      case 'string':
      case 'interpolation':
      case 'array':
      case 'arguments':
      case 'parenthesized_expression':
      case 'ternary_expression':
      case 'binary_expression':
      case 'unary_expression':
      case 'subscript_expression':
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
    if (callee?.type === 'identifier') {
      if (!FUNCTIONS.has(callee.text))
        this.report(file.file, callee, `${callee.text}() is not a Bicep function`);
    } else if (callee?.type === 'member_expression') {
      const object = callee.childForFieldName('object');
      const property = callee.childForFieldName('property');
      if (object?.type === 'identifier' && NAMESPACES.has(object.text)) {
        if (property && !FUNCTIONS.has(property.text)) {
          this.report(
            file.file,
            property,
            `${object.text}.${property.text}() is not a Bicep function`,
          );
        }
      } else if (object) {
        this.expression(file, object); // a resource's function: kv.getSecret(), site.listKeys()
      }
    } else if (callee) {
      this.notRead(file, callee, `a call of ${callee.type}`);
    }
    if (args) this.expression(file, args);
  }

  /** `a.b.c`: the base is checked, and what is read of a module or (with types) of a resource. */
  private member(file: BicepFile, node: Node) {
    const chain: Node[] = [];
    let base: Node | null = node;
    while (base?.type === 'member_expression') {
      const property = base.childForFieldName('property');
      if (property) chain.unshift(property);
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
    if (symbol?.kind === 'resource' && this.azure && chain.length > 0) {
      let type = this.azure.resource(symbol.type);
      for (const property of chain) {
        if (!type) break;
        const object = propertiesOf(type, discriminatorOf(type, symbol.value));
        if (!object) break;
        const found = object.properties[property.text];
        if (!found) {
          if (!object.open)
            this.report(file.file, property, `${object.name} has no property ${property.text}`);
          break;
        }
        if ((found.flags & WRITE_ONLY) !== 0) {
          this.report(
            file.file,
            property,
            `${property.text} of ${object.name} is write-only: it cannot be read`,
          );
          break;
        }
        type = resolve(type.table, found.type);
      }
    }
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
        return START_PROPERTIES.has(chain[0] ?? '') ? undefined : node;
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
      if (name && (name.text === 'reference' || name.text.startsWith('list'))) return node;
      const args = node.childForFieldName('arguments');
      return args ? this.knownLate(file, args, seen) : undefined;
    }
    for (const child of node.namedChildren) {
      const late = child && this.knownLate(file, child, seen);
      if (late) return late;
    }
    return undefined;
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
          : [[value, `${where}: a ${given} where a string is expected`]];
      }
      case 'StringType': {
        const literal = stringValue(value);
        const { minLength, maxLength } = type as { minLength?: number; maxLength?: number };
        if (literal !== undefined && minLength !== undefined && literal.length < minLength) {
          return [[value, `${where}: '${literal}' is shorter than ${minLength}`]];
        }
        if (literal !== undefined && maxLength !== undefined && literal.length > maxLength) {
          return [[value, `${where}: '${literal}' is longer than ${maxLength}`]];
        }
        return given === 'string' || given === undefined
          ? []
          : [[value, `${where}: a ${given} where a string is expected`]];
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
          : [[value, `${where}: a ${given} where a number is expected`]];
      }
      case 'BooleanType':
        return given === 'boolean' || given === undefined
          ? []
          : [[value, `${where}: a ${given} where a boolean is expected`]];
      case 'ArrayType':
        if (value.type !== 'array') {
          return given === 'array' || given === undefined
            ? []
            : [[value, `${where}: a ${given} where an array is expected`]];
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
        if (value.type !== 'object') {
          return given === 'object' || given === undefined
            ? []
            : [[value, `${where}: a ${given} where an object is expected`]];
        }
        const object = propertiesOf(expected, discriminatorOf(expected, value));
        if (!object) return [];
        const found: [Node, string][] = [];
        const keys = new Set<string>();
        for (const [key, item, keyNode] of properties(value)) {
          keys.add(key);
          if (keywords.has(key)) continue;
          const property = object.properties[key];
          if (!property) {
            if (object.open)
              found.push(
                ...this.mismatches(
                  file,
                  item,
                  resolve(table, object.open),
                  `${where}.${key}`,
                  new Set(),
                  seen,
                ),
              );
            else found.push([keyNode, `${where}: ${object.name} has no property ${key}`]);
            continue;
          }
          if ((property.flags & READ_ONLY) !== 0) {
            found.push([keyNode, `${where}: ${key} is read-only`]);
            continue;
          }
          if ((property.flags & DEPLOY_TIME_CONSTANT) !== 0) {
            const late = this.knownLate(file, item, new Set());
            if (late) found.push([late, mustBeKnown(`${where}.${key}`, late)]);
          }
          found.push(
            ...this.mismatches(
              file,
              item,
              resolve(table, property.type),
              `${where}.${key}`,
              new Set(),
              seen,
            ),
          );
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

function mustBeKnown(where: string, late: Node): string {
  return `${where} must be known when the deployment starts, and ${late.text} is only known later`;
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

/** A string literal's text (escapes undone), undefined for anything else or an interpolated one. */
function stringValue(node: Node | null | undefined): string | undefined {
  if (node?.type !== 'string') return undefined;
  let text = '';
  for (const part of node.namedChildren) {
    if (part?.type === 'string_content') text += part.text;
    else if (part?.type === 'escape_sequence')
      text += part.text
        .replace(/^\\(.)$/, '$1')
        .replace(/^\\n$/, '\n')
        .replace(/^\\t$/, '\t');
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
function valueKind(file: BicepFile, node: Node): string | undefined {
  const literal = literalKind(node);
  if (literal) return literal === 'null' ? undefined : literal;
  if (node.type === 'identifier') {
    const symbol = file.symbols.get(node.text);
    if (symbol?.kind === 'param') {
      return PARAM_KINDS[symbol.type];
    }
  }
  return undefined;
}

function body(statement: Node): Node | null {
  const last = statement.lastNamedChild;
  if (last?.type === 'if_statement') return last.namedChildren[1] ?? null;
  return last;
}

/** The literal that picks a discriminated type's element (e.g. a site config's name). */
function discriminatorOf(type: ResolvedType, object: Node | null | undefined): string | undefined {
  if (type.type.$type !== 'DiscriminatedObjectType' || object?.type !== 'object') return undefined;
  const key = (type.type as { discriminator: string }).discriminator;
  const entry = properties(object).find(([name]) => name === key);
  return entry ? stringValue(entry[1]) : undefined;
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
  process.exitCode = report.problems.length > 0 ? 1 : 0;
}
