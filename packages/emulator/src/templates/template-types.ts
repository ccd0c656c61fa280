/** Event templates as the emulator is configured with them (its own vocabulary, not core's). */

/** The type of a template token, as HubSpot's event templates declare it. */
export type TemplateTokenType = 'string' | 'number' | 'date' | 'enumeration';

/** One option of an `enumeration` token: a bare value, or HubSpot's `{ value, label }` shape. */
export type TemplateTokenOption =
  | string
  | {
      /** The value events send. */
      readonly value: string;
      /** What HubSpot shows for it; the value itself when absent. */
      readonly label?: string;
    };

/** One token of an event template. */
export interface TemplateToken {
  /** Token name: letters, digits, `.`, `-`, `_`. */
  readonly name: string;
  /** How values are checked: numbers must parse, dates must be ISO 8601 or epoch milliseconds, enumerations must be an option. */
  readonly type: TemplateTokenType;
  /** Allowed values of an `enumeration` token. */
  readonly options?: readonly TemplateTokenOption[];
  /** The label HubSpot shows (the template routes answer the name when there is none). */
  readonly label?: string;
  /** The CRM object property the token fills, as HubSpot's templates may declare. */
  readonly objectPropertyName?: string;
}

/** An event template the emulator knows; events naming any other template are refused. */
export interface EventTemplate {
  /** The template id events send as `eventTemplateId`. */
  readonly id: string;
  /** A name; the `2026-03` API's `eventTypeName` may use it instead of the id. */
  readonly name?: string;
  /** The CRM object type, e.g. `contacts` or `companies`. Contacts may be named by `email` or `utk`; all others need `objectId`. */
  readonly objectType: string;
  /** The tokens events may carry; any other token name is refused. */
  readonly tokens: readonly TemplateToken[];
  /** The header's Markdown, as HubSpot's templates carry it (kept and echoed, never rendered). */
  readonly headerTemplate?: string;
  /** The details' Markdown, as HubSpot's templates carry it (kept and echoed, never rendered). */
  readonly detailTemplate?: string;
}
