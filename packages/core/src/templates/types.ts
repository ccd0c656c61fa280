import type { ValidationIssue } from '../errors/validation-error.js';
import type { TimelineEvent } from '../event/types.js';

/** The four token types HubSpot's timeline templates know (`TimelineEventTemplateToken.type`). */
export type TemplateTokenType = 'date' | 'enumeration' | 'number' | 'string';

/** One choice of an `enumeration` token: the `value` events send, and the `label` HubSpot shows. */
export interface TemplateTokenOption {
  /** What an event sends as the token's value. */
  readonly value: string;
  /** What HubSpot shows for it. */
  readonly label: string;
}

/** One token a template declares, checked and with its defaults filled in. */
export interface TemplateToken {
  /** The token's name, as events use it in `tokens`: letters, digits, `.`, `-` and `_`. */
  readonly name: string;
  /** What its values must look like. */
  readonly type: TemplateTokenType;
  /** HubSpot's label for lists and reports (the name when none was declared). */
  readonly label: string;
  /** The allowed values of an `enumeration` token, in declared order; empty for every other type. */
  readonly options: readonly TemplateTokenOption[];
  /**
   * Whether an event must carry this token. HubSpot has no such flag (it takes events without some of their
   * template's tokens); it is Hubline's, for templates declared in code, and is `false` for loaded ones.
   */
  readonly required: boolean;
}

/** An event template as Hubline checks events against it: HubSpot's `TimelineEventTemplate`, checked. */
export interface TimelineEventTemplate {
  /** The template id events send as `eventTemplateId`. */
  readonly id: string;
  /** The template's name. */
  readonly name: string;
  /**
   * The CRM object type its events are about, as HubSpot writes it (`contacts`, `companies`, `deals`,
   * `tickets`). Only contact templates accept `email` or `utk` in place of `objectId`.
   */
  readonly objectType: string;
  /** The tokens it declares, in declared order. */
  readonly tokens: readonly TemplateToken[];
}

/** One option of an `enumeration` token, as declared. */
export interface TemplateTokenOptionDeclaration {
  /** What an event sends as the token's value: not empty, unique within the token. */
  readonly value: string;
  /** What HubSpot shows for it. @default the value */
  readonly label?: string;
}

/** One token of a {@link TemplateDeclaration}. */
export interface TemplateTokenDeclaration {
  /** The token's name: letters, digits, `.`, `-` and `_`, unique within its template. */
  readonly name: string;
  /** What its values must look like. */
  readonly type: TemplateTokenType;
  /** HubSpot's label. @default the token's name */
  readonly label?: string;
  /**
   * The allowed values of an `enumeration` token (at least one, values unique); absent or empty for every other
   * type. An option's `label` defaults to its `value`.
   */
  readonly options?: readonly TemplateTokenOptionDeclaration[];
  /** Refuse events without this token (Hubline's rule, not HubSpot's). @default false */
  readonly required?: boolean;
  /** HubSpot's own field, accepted so that a template as HubSpot answers it can be declared as it is. */
  readonly objectPropertyName?: string | null;
  /** HubSpot's own field, accepted and ignored. */
  readonly createdAt?: string | null;
  /** HubSpot's own field, accepted and ignored. */
  readonly updatedAt?: string | null;
}

/**
 * An event template as an app declares it in code, or as HubSpot's `GET …/event-templates` lists it: `id`,
 * `name`, `objectType` and `tokens`, plus HubSpot's display fields, which are accepted and ignored.
 */
export interface TemplateDeclaration {
  /** The template id events send as `eventTemplateId`: HubSpot's ids are digits. */
  readonly id: string | number;
  /** The template's name. */
  readonly name: string;
  /** The CRM object type its events are about: `contacts`, `companies`, `deals` or `tickets`. */
  readonly objectType: string;
  /** The tokens it declares. @default [] */
  readonly tokens?: readonly TemplateTokenDeclaration[];
  /** HubSpot's own field, accepted and ignored. */
  readonly headerTemplate?: string | null;
  /** HubSpot's own field, accepted and ignored. */
  readonly detailTemplate?: string | null;
  /** HubSpot's own field, accepted and ignored. */
  readonly createdAt?: string | null;
  /** HubSpot's own field, accepted and ignored. */
  readonly updatedAt?: string | null;
}

/**
 * Anything that can judge a normalised event against the app's templates: a {@link TemplateCatalog}, or a loader
 * that holds the latest catalog it loaded (and answers no issue while it has none).
 */
export interface TemplateChecker {
  /**
   * Every way `event` does not fit its template, each naming the field (`eventTemplateId`, `tokens.<name>`,
   * `objectId`, `email`, `utk`); empty when it fits.
   *
   * @param event - a normalised event, as `normalizeEvent` returns it.
   */
  check(event: TimelineEvent): readonly ValidationIssue[];
}

/** A fixed set of templates, indexed for checking events on the record path. */
export interface TemplateCatalog extends TemplateChecker {
  /** The templates, checked and in the order given. */
  readonly templates: readonly TimelineEventTemplate[];
  /**
   * The template with this id, if the catalog has it.
   *
   * @param eventTemplateId - an event's `eventTemplateId`.
   */
  get(eventTemplateId: string): TimelineEventTemplate | undefined;
}
