import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { RecordingContext } from '../../../src/app/recording/record-review.js';
import type { ReviewRecord } from '../../../src/app/recording/review-record.js';
import type * as CardTemplates from '../../../src/cards/card-templates.js';
import {
  CARD_TEMPLATES,
  templateJson,
  type CardTemplateName,
} from '../../../src/cards/card-templates.js';
import {
  renderMeetingEnded,
  renderRecordForm,
  renderRecorded,
} from '../../../src/cards/render-recording.js';
import { compileTemplate } from '../../../src/cards/template-expander.js';
import type { LocalDate } from '../../../src/domain/local-date.js';

/**
 * Differential tests: `compileTemplate(json)(root)` against the library's
 * `new Template(json).expand({ $root: root })`, on the data the renderers really build (recorded
 * while the existing card tests run, imported below) and on random data shaped by each template.
 */

const recorded = vi.hoisted(() => [] as { name: string; data: Record<string, unknown> }[]);

vi.mock('../../../src/cards/card-templates.js', async (importOriginal) => {
  const original = await importOriginal<typeof CardTemplates>();
  return {
    ...original,
    fillTemplate: (name: CardTemplateName, data: Record<string, unknown>) => {
      recorded.push({ name, data });
      return original.fillTemplate(name, data);
    },
  };
});

// The existing card tests run here as well: every card they render is recorded above.
import './cards.test.js';
import './alert-cards.test.js';
import './midway-cards.test.js';
import './reminder-cards.test.js';
import './booked-card.test.js';
import '../app/plan-review.test.js';

interface TemplatingModule {
  Template: new (json: unknown) => { expand(context: { $root: unknown }): unknown };
  GlobalSettings: { getUndefinedFieldValueSubstitutionString?: (path: string) => unknown };
}
interface AelExpression {
  type: string;
  children: AelExpression[];
  value?: unknown;
}
const requireHere = createRequire(import.meta.url);
const templatingMain = requireHere.resolve('adaptivecards-templating');
const templating = requireHere(templatingMain) as TemplatingModule;
const ael = createRequire(templatingMain)('adaptive-expressions') as {
  Expression: abstract new (...args: never[]) => AelExpression;
  Constant: abstract new (...args: never[]) => AelExpression;
};
const prepare = (templating.Template as unknown as { prepare(json: unknown): unknown }).prepare;

type Outcome = { value: unknown } | { threw: string };

function outcome(run: () => unknown): Outcome {
  try {
    return { value: run() };
  } catch (error) {
    return { threw: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Where two results differ, beyond toEqual: key order, a key present with undefined versus
 * missing, holes in arrays, prototypes. Empty when the same.
 */
function difference(a: unknown, b: unknown, at = '$'): string[] {
  if (Object.is(a, b)) return [];
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return [`${at}: ${String(a)} vs ${String(b)}`];
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return [`${at}: prototypes differ`];
  if (a instanceof Date && b instanceof Date) {
    return Object.is(a.getTime(), b.getTime()) ? [] : [`${at}: dates differ`];
  }
  const keysA = Reflect.ownKeys(a).map(String);
  const keysB = Reflect.ownKeys(b).map(String);
  if (keysA.join('\u0000') !== keysB.join('\u0000')) {
    return [`${at}: keys [${keysA.join(',')}] vs [${keysB.join(',')}]`];
  }
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  return keysA.flatMap((key) => difference(recordA[key], recordB[key], `${at}.${key}`));
}

const compiled = new Map<CardTemplateName, (root: Record<string, unknown>) => unknown>();
function expandBoth(name: CardTemplateName, root: Record<string, unknown>) {
  let mine = compiled.get(name);
  if (!mine) {
    mine = compileTemplate(templateJson(name));
    compiled.set(name, mine);
  }
  const expander = mine;
  const library = outcome(() =>
    new templating.Template(templateJson(name)).expand({ $root: root }),
  );
  return { library, mine: outcome(() => expander(root)) };
}

function expectSame(library: Outcome, mine: Outcome): void {
  expect(mine).toEqual(library);
  expect(difference(mine, library)).toEqual([]);
  if ('value' in library && 'value' in mine) {
    expect(JSON.stringify(mine.value)).toBe(JSON.stringify(library.value));
  }
}

describe('the comparison itself', () => {
  it('tells key order, undefined against missing, and holes apart', () => {
    expect(difference({ a: 1, b: 2 }, { b: 2, a: 1 })).not.toEqual([]);
    expect(difference({ a: 1, b: undefined }, { a: 1 })).not.toEqual([]);
    // eslint-disable-next-line no-sparse-arrays
    expect(difference([1, , 3], [1, undefined, 3])).not.toEqual([]);
    expect(difference({ a: [{ b: 'x' }] }, { a: [{ b: 'x' }] })).toEqual([]);
  });
});

/** Inputs for the recording cards, which no card test renders. */
function renderRecordingCards(): void {
  const context = {
    childLabel: 'J.S. (A10001)',
    child: { childId: 'A10001' },
    due: { kind: 'subsequent', dueDate: '2026-12-01', number: 3, previousReviewDate: null },
  } as unknown as RecordingContext;
  const record: ReviewRecord = {
    heldOn: '2026-12-03' as LocalDate,
    reviewCode: 'PN1',
    attendance: [
      { participant: 'child', attendance: 'in_person' },
      { participant: 'carer', inviteeIndex: 1, attendance: 'online' },
      { participant: 'invitee', inviteeIndex: 0, attendance: 'online' },
    ] as unknown as ReviewRecord['attendance'],
    childChaired: false,
    advocacyOffered: true,
    consultationReturned: false,
    lateReason: null,
    decisions: [],
  };
  for (const recordedAt of [null, new Date('2026-12-03T11:00:00Z')]) {
    renderMeetingEnded({
      formData: { reviewId: 7 },
      chairIds: ['c1'],
      recordedAt,
      timeZone: 'UTC',
    });
    renderMeetingEnded({ formData: {}, chairIds: [], recordedAt, timeZone: 'UTC', notice: 'N' });
  }
  for (const errors of [
    undefined,
    { heldOn: 'Give a date', code: 'Pick one', decision_1: 'x', invitee_2: 'Say who' },
  ]) {
    for (const prefilled of [false, true]) {
      renderRecordForm({
        context,
        formData: { reviewId: 7 },
        submitData: { reviewId: 7, recordKey: 'k' },
        chairIds: ['c1', 'c2'],
        invitees: [
          { index: 1, email: 'x@example.com' },
          { index: 2, email: 'y@example.com' },
        ],
        values: {
          code: 'PN1',
          decision_0_what: 'Plan',
          att_child: 'in_person',
          who_invitee_1: 'mother',
          att_invitee_1: 'online',
        },
        errors,
        today: '2026-12-03' as LocalDate,
        prefilled,
      });
    }
  }
  for (const onTime of [true, false, null]) {
    renderRecorded({
      context,
      record: { ...record, lateReason: onTime === false ? 'other' : null } as ReviewRecord,
      next: { known: false, reason: 'lastReviewBeforeExtract' },
      onTime,
      formData: { reviewId: 7 },
      editData: { reviewId: 7 },
      chairIds: ['c1'],
      title: 'Recorded',
      ...(onTime ? { futureMeeting: { reviewId: 8, start: new Date(), timeZone: 'UTC' } } : {}),
    });
  }
}

describe('the compiled templates against the library, on the cards the renderers build', () => {
  it('expands every recorded card exactly as the library does, for every template', () => {
    renderRecordingCards();
    const seen = new Set<string>();
    for (const { name, data } of recorded) {
      seen.add(name);
      const { library, mine } = expandBoth(name as CardTemplateName, data);
      expect('value' in library, `${name} expands`).toBe(true);
      expectSame(library, mine);
    }
    expect([...CARD_TEMPLATES].filter((name) => !seen.has(name))).toEqual([]);
    expect(recorded.length).toBeGreaterThan(200);
  });
});

/** The data a template reads: field names, each with the fields read inside it. */
interface Shape {
  fields: Map<string, Shape>;
}
const newShape = (): Shape => ({ fields: new Map() });

function accessorPath(expression: AelExpression): string[] | undefined {
  const names: string[] = [];
  let node: AelExpression | undefined = expression;
  while (node) {
    if (node.type !== 'Accessor') return undefined;
    const name = node.children[0]?.value;
    if (typeof name !== 'string') return undefined;
    names.unshift(name);
    node = node.children[1];
  }
  return names;
}

function shapeOf(json: unknown): { root: Shape; strings: string[] } {
  const root = newShape();
  const strings = new Set<string>();
  const fieldAt = (scope: Shape, path: string[]): Shape => {
    let shape = path[0] === '$root' ? root : scope;
    for (const name of path[0] === '$root' ? path.slice(1) : path) {
      let next = shape.fields.get(name);
      if (!next) shape.fields.set(name, (next = newShape()));
      shape = next;
    }
    return shape;
  };
  const readExpression = (expression: AelExpression, scope: Shape): Shape | undefined => {
    const path = accessorPath(expression);
    if (path) return fieldAt(scope, path);
    if (expression instanceof ael.Constant && typeof expression.value === 'string') {
      strings.add(expression.value);
    }
    for (const child of expression.children) readExpression(child, scope);
    return undefined;
  };
  const walk = (node: unknown, scope: Shape): void => {
    if (node instanceof ael.Expression) readExpression(node, scope);
    else if (Array.isArray(node)) for (const item of node) walk(item, scope);
    else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      let inner = scope;
      const data = record['$data'];
      if (data instanceof ael.Expression) inner = readExpression(data, scope) ?? scope;
      for (const [key, value] of Object.entries(record)) {
        walk(value, key === '$data' ? scope : inner);
      }
    }
  };
  walk(prepare(json), root);
  return { root, strings: [...strings] };
}

function dataFor(
  shape: Shape,
  strings: string[],
  depth = 0,
): fc.Arbitrary<Record<string, unknown>> {
  const primitive = fc.oneof(
    fc.constantFrom(undefined, null, '', true, false, 0, 1, -2.5),
    fc.string({ maxLength: 6 }),
    strings.length > 0 ? fc.constantFrom(...strings) : fc.constant('x'),
    fc.integer(),
  );
  const value = (field: Shape): fc.Arbitrary<unknown> => {
    if (field.fields.size === 0 || depth > 4) {
      return fc.oneof(
        { weight: 6, arbitrary: primitive },
        { weight: 1, arbitrary: fc.array(primitive, { maxLength: 3 }) },
        { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 3 }), primitive) },
      );
    }
    const object = dataFor(field, strings, depth + 1);
    return fc.oneof(
      { weight: 1, arbitrary: primitive },
      { weight: 2, arbitrary: object },
      { weight: 4, arbitrary: fc.array(fc.oneof(object, object, primitive), { maxLength: 3 }) },
    );
  };
  const entries = [...shape.fields].map(([name, field]) =>
    fc.oneof(
      { weight: 1, arbitrary: fc.constant([] as [string, unknown][]) },
      { weight: 6, arbitrary: value(field).map((v): [string, unknown][] => [[name, v]]) },
      // AEL reads paths ignoring case, the first matching key winning.
      {
        weight: 1,
        arbitrary: fc.tuple(value(field), value(field)).map(([a, b]): [string, unknown][] => [
          [name.toUpperCase(), a],
          [name, b],
        ]),
      },
    ),
  );
  return fc.tuple(...entries).map((lists) => Object.fromEntries(lists.flat()));
}

describe('the compiled templates against the library, on random data', () => {
  it.each(CARD_TEMPLATES.map((name) => [name]))('%s', (name) => {
    const { root, strings } = shapeOf(templateJson(name));
    expect(root.fields.size).toBeGreaterThan(0);
    fc.assert(
      fc.property(dataFor(root, strings), (data) => {
        const { library, mine } = expandBoth(name, data);
        expectSame(library, mine);
      }),
      { numRuns: 150 },
    );
  });
});

/** Small templates for the corners the card templates reach only by chance. */
const CORNERS: [string, unknown, Record<string, unknown>[]][] = [
  [
    'AEL truthiness in !, && and $when',
    {
      a: '${!x}',
      b: '${x && y}',
      c: [
        { $when: '${x}', t: 1 },
        { $when: '${!x}', t: 2 },
        { $when: '${x == y}', t: 3 },
      ],
    },
    [
      { x: '', y: 0 },
      { x: 0, y: false },
      { x: null },
      {},
      { x: 'false', y: [] },
      { x: true, y: 1 },
    ],
  ],
  [
    'equality of missing, null, numbers and strings',
    { a: "${x == ''}", b: '${x == y}', c: '${x != y}', d: '${x == 1}', e: "${x != 'b'}" },
    [{}, { x: null }, { x: null, y: undefined }, { x: 1, y: 1.0 }, { x: '1', y: 1 }, { x: 'b' }],
  ],
  [
    'paths: missing, null, nested, case, $root, $index',
    { a: '${x}', b: '${x.y}', c: '${$root.x}', d: '${$index}', e: '${X.Y}', f: ['${x}', 1] },
    [{}, { x: null }, { x: { y: null } }, { x: { Y: 2, y: 3 } }, { X: 'up', x: 'low' }, { x: [] }],
  ],
  [
    'repeats: arrays, objects, undefined items, $index, splicing, null dropping',
    {
      body: [
        { $data: '${items}', t: '${t}', i: '${$index}', r: '${$root.n}' },
        '${list}',
        { $data: '${items}', $when: '${t != 1}', t: '${t}' },
        [1, [2, '${n}']],
      ],
      one: { $data: '${items}', t: '${t}' },
    },
    [
      { items: [{ t: 1 }, undefined, { t: 2 }, null, 'str', 0], list: [1, null, [2]], n: null },
      { items: { t: 5 }, list: null },
      { items: [], list: 'x' },
      { items: [{ t: 1 }] },
      {},
    ],
  ],
  [
    'count and >',
    { a: '${count(x) > 0}', b: '${count(x)}', c: { $when: '${count(x) > 0}', t: 1 } },
    [{}, { x: null }, { x: 'ab' }, { x: [] }, { x: [1] }, { x: { a: 1 } }, { x: 3 }],
  ],
  [
    'interpolation: toString, substitution, null throws',
    { a: 'Held ${x}, for ${y}', b: '${x}${y}', c: 'n: ${x == 1}' },
    [{}, { x: 1, y: [1, 2] }, { x: { a: 1 }, y: true }, { x: null, y: 'a' }, { x: 'a', y: 'b' }],
  ],
  [
    'literal $when and $data, reserved fields',
    {
      a: { $when: true, t: 1 },
      b: { $when: false, t: 2 },
      c: { $data: 'lit', t: '${length}' },
      d: { $data: [{ t: 1 }, { t: 2 }], u: '${t}' },
      e: { $root: 1, $index: 2, $host: 3, $schema: 'kept', t: 4 },
    },
    [{}],
  ],
  [
    'operators outside the compiled grammar',
    { a: "${concat(x, 'y')}", b: '${x || y}', c: '${x[0]}', d: { $when: '${x < 2}', t: 1 } },
    [{}, { x: [1], y: false }, { x: 'a' }],
  ],
  [
    'a value that is undefined without error: left out of objects, kept in arrays',
    // x null: `x[0]` (evaluated by the library) gives undefined and no error.
    { a: '${x[0]}', b: 1, c: ['${x[0]}', 2] },
    [{ x: null }, { x: [1] }],
  ],
];

describe('corners, against the library', () => {
  it.each(CORNERS)('%s', (_title, template, roots) => {
    const mine = compileTemplate(template);
    for (const root of roots) {
      const library = outcome(() => new templating.Template(template).expand({ $root: root }));
      expectSame(
        library,
        outcome(() => mine(root)),
      );
    }
  });

  it('uses the library setting for the text put in place of a missing value', () => {
    const template = { a: '${x}', b: 'x is ${x.y}' };
    const mine = compileTemplate(template);
    templating.GlobalSettings.getUndefinedFieldValueSubstitutionString = (path) => `<${path}>`;
    try {
      const library = new templating.Template(template).expand({ $root: {} });
      expect(library).toEqual({ a: '<x>', b: 'x is <x.y>' });
      expect(mine({})).toEqual(library);
    } finally {
      templating.GlobalSettings.getUndefinedFieldValueSubstitutionString = undefined;
    }
  });
});
