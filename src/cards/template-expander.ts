import { createRequire } from 'node:module';

/**
 * A faster drop-in for adaptivecards-templating's `new Template(json).expand({ $root })`.
 *
 * The library evaluates every `${...}` through adaptive-expressions, which builds a memory object,
 * options and closures per evaluation and re-splits each path string. Here the template is
 * prepared by the library itself (`Template.prepare`, so the expressions are parsed exactly as it
 * parses them), then each expression tree is turned once into a closure that follows the same
 * evaluation rules for the operators the card templates use: paths (case-insensitive, like AEL's
 * memory), constants, `==`, `!=`, `!`, `&&`, `>`, `count(...)` and interpolated strings. Any other
 * operator, and any evaluation that ends in an error, is handed to the library's own evaluator, so
 * the result never depends on this grammar being complete.
 */

/** The parts of an adaptive-expressions `Expression` that are read here. */
interface AelExpression {
  readonly type: string;
  readonly children: AelExpression[];
  toString(): string;
}

interface AelModule {
  Expression: abstract new (...args: never[]) => AelExpression;
  Constant: abstract new (...args: never[]) => AelExpression & { readonly value: unknown };
  FunctionUtils: { commonEquals(a: unknown, b: unknown): boolean };
}

interface TemplateContext {
  $root: unknown;
  $data: unknown;
  $index: number | undefined;
  $host: unknown;
  $_acTemplateVersion: TemplateVersion;
}

interface TemplatingModule {
  Template: {
    prepare(json: unknown): unknown;
    internalTryEvaluateExpression(
      expression: AelExpression,
      context: TemplateContext,
      allowSubstitutions: boolean,
    ): { value: unknown; error?: unknown };
  };
  GlobalSettings: { getUndefinedFieldValueSubstitutionString?: (path: string) => unknown };
}

interface TemplateVersion {
  major: number;
  minor: number;
  patch: number;
  suffix: string;
}

const requireHere = createRequire(import.meta.url);
const templatingMain = requireHere.resolve('adaptivecards-templating');
/** Loaded through require: its type declarations pull in adaptivecards' TypeScript sources. */
const templating = requireHere(templatingMain) as TemplatingModule;
/** The very copy the templating library uses, so its `instanceof` checks hold for our nodes. */
const requireFromTemplating = createRequire(templatingMain);
const ael = requireFromTemplating('adaptive-expressions') as AelModule;
const templatingVersion = (requireFromTemplating('../package.json') as { version: string }).version;

/** What the library's EvaluationContext puts in `$_acTemplateVersion`. */
function versionJson(): TemplateVersion {
  const versionSplit = templatingVersion.split('.');
  const patchSplit = versionSplit[2] ? versionSplit[2].split('-') : [];
  return {
    major: parseInt(versionSplit[0] ?? ''),
    minor: parseInt(versionSplit[1] ?? ''),
    patch: parseInt(patchSplit[0] ?? ''),
    suffix: patchSplit[1] || '',
  };
}

const RESERVED_FIELDS = ['$data', '$when', '$root', '$index', '$host', '$_acTemplateVersion'];
/** Own keys of the library's TemplateObjectMemory, in the order its path lookup sees them. */
const MEMORY_KEYS = ['_memory', '$root', '$data', '$index', '$host', '$_acTemplateVersion'];

/** The evaluation state of one expansion: the library's EvaluationContext. */
interface Scope {
  root: unknown;
  data: unknown;
  index: number | undefined;
  version: TemplateVersion | undefined;
}

/** An evaluation that AEL would report as an error (`{ error }` rather than a value). */
const ERROR: unique symbol = Symbol('template-expander.error');
type Evaluator = (scope: Scope, substitute: boolean) => unknown;

function contextOf(scope: Scope): TemplateContext {
  scope.version ??= versionJson();
  return {
    $root: scope.root,
    $data: scope.data,
    $index: scope.index,
    $host: undefined,
    $_acTemplateVersion: scope.version,
  };
}

/** The library's evaluation of a whole expression, throwing as `internalExpand` does. */
function libraryValue(expression: AelExpression, scope: Scope): unknown {
  const result = templating.Template.internalTryEvaluateExpression(
    expression,
    contextOf(scope),
    true,
  );
  if (result.error) throw new Error(result.error as string);
  return result.value;
}

/** The library's `$when` test: true only for a boolean true evaluated without error. */
function libraryWhen(expression: AelExpression, scope: Scope): boolean {
  const result = templating.Template.internalTryEvaluateExpression(
    expression,
    contextOf(scope),
    false,
  );
  return !result.error && result.value === true;
}

/** AEL's InternalFunctionUtils.isLogicTrue: booleans as they are, null/undefined false, else true. */
function isLogicTrue(value: unknown): boolean {
  return typeof value === 'boolean' ? value : value != null;
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && !Number.isNaN(value);
}

function commonEquals(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  return ael.FunctionUtils.commonEquals(a, b);
}

interface PathPart {
  name: string;
  lower: string;
  /** `lower` is ASCII: then only a key of the same length can lower-case to it. */
  ascii: boolean;
  index: number;
}

/** AEL's InternalFunctionUtils.accessProperty: the first own key equal ignoring case. */
function accessProperty(instance: unknown, part: PathPart): unknown {
  if (!instance) return undefined;
  if (instance instanceof Map) {
    const map = instance as Map<string, unknown>;
    let value = map.get(part.name);
    if (value === undefined) {
      const key = Array.from(map.keys()).find((k) => k.toLowerCase() === part.lower);
      if (key !== undefined) value = map.get(key);
    }
    return value;
  }
  const record = instance as Record<string, unknown>;
  if (!part.ascii) {
    const key = Object.keys(record).find((k) => k.toLowerCase() === part.lower);
    return key === undefined ? undefined : record[key];
  }
  // Same keys in the same order as Object.keys (own enumerable first), without the array.
  const length = part.name.length;
  for (const key in record) {
    if (
      key.length === length &&
      (key === part.name || key.toLowerCase() === part.lower) &&
      Object.hasOwn(record, key)
    ) {
      return record[key];
    }
  }
  return undefined;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

function splitPath(path: string): string[] {
  // SimpleObjectMemory.getValue's split, quotes and all.
  return path
    .split(/[.[\]]+/)
    .filter((u) => u !== '')
    .map((u) =>
      (u.startsWith('"') && u.endsWith('"')) || (u.startsWith("'") && u.endsWith("'"))
        ? u.substring(1, u.length - 1)
        : u,
    );
}

function substitution(path: string): unknown {
  const custom = templating.GlobalSettings.getUndefinedFieldValueSubstitutionString;
  const value = custom ? custom(path) : undefined;
  return value ? value : '${' + path + '}';
}

/** A chain of accessors (`a`, `errors.code`, `$root.steps`): a path looked up in memory. */
function compileAccessor(expression: AelExpression): Evaluator | undefined {
  // FunctionUtils.tryAccumulatePath, for chains made only of accessors.
  let path = '';
  let left: AelExpression | undefined = expression;
  while (left !== undefined) {
    if (left.type !== 'Accessor') return undefined;
    const name = left.children[0];
    if (!(name instanceof ael.Constant) || typeof name.value !== 'string') return undefined;
    path = name.value + '.' + path;
    if (left.children.length === 2) left = left.children[1];
    else if (left.children.length === 1) left = undefined;
    else return undefined;
  }
  path = path.replace(/(\.*$)/g, '').replace(/(\.\[)/g, '[');
  if (path === '') return undefined;
  // TemplateObjectMemory.getValue: paths not starting with `$` are read from `$data`.
  const actualPath = path[0] !== '$' ? '$data.' + path : path;
  const parts = splitPath(actualPath).map((name): PathPart => ({
    name,
    lower: name.toLowerCase(),
    ascii: isAscii(name.toLowerCase()),
    index: parseInt(name),
  }));
  const first = parts.shift();
  if (first === undefined) return undefined;
  const memoryKey = MEMORY_KEYS.find((k) => k.toLowerCase() === first.lower);
  if (memoryKey === '_memory') return undefined;
  const base: (scope: Scope) => unknown =
    memoryKey === '$root'
      ? (scope) => scope.root
      : memoryKey === '$data'
        ? (scope) => scope.data
        : memoryKey === '$index'
          ? (scope) => scope.index
          : memoryKey === '$_acTemplateVersion'
            ? (scope) => (scope.version ??= versionJson())
            : () => undefined; // `$host` (never given) or no such key
  const count = parts.length;
  return (scope, substitute) => {
    let value = base(scope);
    for (let i = 0; i < count; i++) {
      const part = parts[i] as PathPart;
      if (!Number.isNaN(part.index) && Array.isArray(value)) {
        if (part.index < 0 || part.index >= value.length) {
          value = undefined;
          break;
        }
        value = value[part.index] as unknown;
      } else {
        value = accessProperty(value, part);
      }
    }
    // InternalFunctionUtils.wrapGetValue: only undefined is substituted, null is kept.
    if (value === undefined && substitute) return substitution(path);
    return value;
  };
}

/** An expression tree as a closure, or undefined when it uses anything not handled here. */
function compileExpression(expression: AelExpression): Evaluator | undefined {
  if (expression instanceof ael.Constant) {
    const value = expression.value;
    return () => value;
  }
  if (expression.type === 'Accessor') return compileAccessor(expression);
  const children: Evaluator[] = [];
  for (const child of expression.children) {
    const compiled = compileExpression(child);
    if (compiled === undefined) return undefined;
    children.push(compiled);
  }
  const [a, b] = children;
  switch (expression.type) {
    case '!':
      // Not: the child without substitution; an error counts as false, so `!` gives true.
      if (children.length !== 1 || !a) return undefined;
      return (scope) => {
        const value = a(scope, false);
        return value === ERROR ? true : !isLogicTrue(value);
      };
    case '&&':
      if (children.length === 0) return undefined;
      return (scope) => {
        for (const child of children) {
          const value = child(scope, false);
          if (value === ERROR || !isLogicTrue(value)) return false;
        }
        return true;
      };
    case '==':
    case '!=': {
      // ComparisonEvaluator: a child error gives false (for `!=` too), without error.
      if (children.length !== 2 || !a || !b) return undefined;
      const equal = expression.type === '==';
      return (scope) => {
        const left = a(scope, false);
        if (left === ERROR) return false;
        const right = b(scope, false);
        if (right === ERROR) return false;
        return commonEquals(left, right) === equal;
      };
    }
    case '>':
      if (children.length !== 2 || !a || !b) return undefined;
      return (scope) => {
        const left = a(scope, false);
        if (left === ERROR || left == null) return false;
        const right = b(scope, false);
        if (right === ERROR || right == null) return false;
        if (
          (isNumber(left) && isNumber(right)) ||
          (typeof left === 'string' && typeof right === 'string') ||
          (left instanceof Date && right instanceof Date)
        ) {
          return left > right;
        }
        return ERROR; // "must be comparable": an error the caller may swallow or throw
      };
    case 'count':
      // FunctionUtils.apply with verifyContainer; the child keeps the caller's substitution.
      if (children.length !== 1 || !a) return undefined;
      return (scope, substitute) => {
        const value = a(scope, substitute);
        if (value === ERROR || value === null) return ERROR; // null: Object.keys(null) throws
        if (typeof value === 'string' || Array.isArray(value)) return value.length;
        if (value instanceof Map) return value.size;
        if (typeof value === 'object') return Object.keys(value).length;
        return ERROR;
      };
    default:
      return undefined;
  }
}

/** A `${...}` in a property value or array (allowSubstitutions: true). */
function compileValueExpression(expression: AelExpression): (scope: Scope) => unknown {
  if (expression.type === 'concat') {
    // internalTryEvaluateExpression's own concatenation of an interpolated string.
    const parts = expression.children.map((child) => ({
      evaluate: compileExpression(child),
      text: '${' + child.toString() + '}',
    }));
    if (parts.some((part) => part.evaluate === undefined)) {
      return (scope) => libraryValue(expression, scope);
    }
    return (scope) => {
      let result = '';
      for (const part of parts) {
        let value: unknown;
        try {
          value = (part.evaluate as Evaluator)(scope, true);
        } catch {
          value = ERROR; // the library swallows exceptions here too
        }
        if (value === ERROR) value = part.text;
        // null, or no toString: the library throws a TypeError; let it, with its own message.
        if (value == null || typeof (value as { toString?: unknown }).toString !== 'function') {
          return libraryValue(expression, scope);
        }
        result += (value as { toString(): string }).toString();
      }
      return result;
    };
  }
  const evaluate = compileExpression(expression);
  if (evaluate === undefined) return (scope) => libraryValue(expression, scope);
  return (scope) => {
    const value = evaluate(scope, true);
    // An error: let the library evaluate it, and throw its message.
    return value === ERROR ? libraryValue(expression, scope) : value;
  };
}

/** A `$when` (allowSubstitutions: false): kept only for a boolean true. */
function compileWhen(expression: AelExpression): (scope: Scope) => boolean {
  const evaluate = expression.type === 'concat' ? undefined : compileExpression(expression);
  if (evaluate === undefined) return (scope) => libraryWhen(expression, scope);
  return (scope) => evaluate(scope, false) === true;
}

interface CompiledNode {
  /** The node's value as a property value; undefined drops the property. */
  value(scope: Scope): unknown;
  /** The node expanded as an item of an array: nulls dropped, arrays spliced. */
  into(scope: Scope, out: unknown[]): void;
}

/** `itemArray.concat(array)`, appending in place (holes and all). */
function appendArray(out: unknown[], items: unknown[]): void {
  if ((items as { [Symbol.isConcatSpreadable]?: unknown })[Symbol.isConcatSpreadable] === false) {
    out.push(items);
    return;
  }
  const start = out.length;
  const count = items.length;
  for (let i = 0; i < count; i++) {
    if (i in items) out[start + i] = items[i];
  }
  out.length = start + count;
}

function pushItem(out: unknown[], value: unknown): void {
  if (value === null) return;
  if (Array.isArray(value)) appendArray(out, value);
  else out.push(value);
}

function compileNode(node: unknown): CompiledNode {
  if (node instanceof ael.Expression) {
    const evaluate = compileValueExpression(node);
    return { value: evaluate, into: (scope, out) => pushItem(out, evaluate(scope)) };
  }
  if (Array.isArray(node)) return compileArray(node);
  if (typeof node === 'object' && node !== null) {
    return compileObject(node as Record<string, unknown>);
  }
  return { value: () => node, into: (_scope, out) => pushItem(out, node) };
}

function compileArray(node: unknown[]): CompiledNode {
  const items = node.map(compileNode);
  const value = (scope: Scope): unknown[] => {
    const out: unknown[] = [];
    for (const item of items) item.into(scope, out);
    return out;
  };
  return { value, into: (scope, out) => appendArray(out, value(scope)) };
}

function compileObject(node: Record<string, unknown>): CompiledNode {
  const entries = Object.keys(node)
    .filter((key) => !RESERVED_FIELDS.includes(key))
    .map((key) => ({ key, node: compileNode(node[key]) }));
  const whenNode = node['$when'];
  // A `$when` that is not an expression drops the object when truthy.
  const when: (scope: Scope) => boolean =
    whenNode instanceof ael.Expression ? compileWhen(whenNode) : () => !whenNode;
  const dataNode = node['$data'];
  const data: ((scope: Scope) => unknown) | undefined =
    dataNode === undefined
      ? undefined
      : dataNode instanceof ael.Expression
        ? compileValueExpression(dataNode)
        : () => dataNode;

  const single = (scope: Scope): Record<string, unknown> => {
    const result: Record<string, unknown> = {};
    for (const entry of entries) {
      const value = entry.node.value(scope);
      if (value !== undefined) result[entry.key] = value;
    }
    return result;
  };

  /** internalExpand's loop over `$data` contexts, each kept copy pushed to `out`. */
  const expand = (scope: Scope, out: unknown[]): void => {
    if (data === undefined) {
      if (when(scope)) out.push(single(scope));
      return;
    }
    const savedData = scope.data;
    const savedIndex = scope.index;
    const context = data(scope);
    if (Array.isArray(context)) {
      for (let i = 0; i < context.length; i++) {
        scope.index = i;
        const item: unknown = context[i];
        // An undefined item keeps the previous `$data`, as the library does.
        if (item !== undefined) scope.data = item;
        if (when(scope)) out.push(single(scope));
      }
    } else {
      if (context !== undefined) scope.data = context;
      if (when(scope)) out.push(single(scope));
    }
    scope.data = savedData;
    scope.index = savedIndex;
  };

  return {
    value(scope) {
      if (data === undefined) return when(scope) ? single(scope) : null;
      const out: unknown[] = [];
      expand(scope, out);
      return out.length === 0 ? null : out.length === 1 ? out[0] : out;
    },
    into: expand,
  };
}

/**
 * Prepares a card template once; the returned function gives what
 * `new Template(json).expand({ $root: root })` gives for that root.
 */
export function compileTemplate(json: unknown): (root: Record<string, unknown>) => unknown {
  const compiled = compileNode(templating.Template.prepare(json));
  return (root) =>
    compiled.value({ root, data: root, index: undefined, version: undefined } satisfies Scope);
}
