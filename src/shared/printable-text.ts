/** C0 and C1 control characters, DEL, and the Unicode controls that reorder or hide text. */
const CONTROL =
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAK_OR_TAB = /[\t\n\r]+/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text someone typed or a file held, made safe to quote back to a person in a card, a terminal or
 * an error list: line breaks and tabs become spaces, other control characters (escape sequences,
 * direction overrides) are shown as `\uXXXX`, half surrogate pairs become U+FFFD, and it is cut
 * to `max` characters (with "…") without splitting a character in two.
 */
export function printableText(text: string, max: number): string {
  const visible = text
    .replace(LINE_BREAK_OR_TAB, ' ')
    .replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(LONE_SURROGATE, '\ufffd');
  const chars = Array.from(visible);
  return chars.length <= max ? visible : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * Free text one person wrote (a concern, a decision, a note), made inert before a card shows it
 * to someone else: a card's TextBlock renders Markdown links, so "[Sign in again](https://...)"
 * would arrive as a link that seems to come from the bot. The text stays readable: "] (".
 */
export function withoutLinks(text: string): string {
  return text.replace(/\]\s*\(/g, '] (');
}
