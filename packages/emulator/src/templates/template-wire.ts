import { isObject } from '../events/read-event.js';
import { fieldAt, TemplateProblem } from './compile-templates.js';
import type { TemplateTimes } from './template-registry.js';
import type {
  EventTemplate,
  TemplateToken,
  TemplateTokenOption,
  TemplateTokenType,
} from './template-types.js';

/** A token's changeable fields, as `PUT …/tokens/{tokenName}` sends them. */
export type TokenUpdate = Pick<TemplateToken, 'label' | 'options' | 'objectPropertyName'>;

function text(value: unknown, at: string, required: boolean): string | undefined {
  if (value === undefined || value === null) {
    if (required) throw new TemplateProblem(at, 'required');
    return undefined;
  }
  if (typeof value !== 'string') throw new TemplateProblem(at, 'must be a string');
  if (required && value.length === 0) throw new TemplateProblem(at, 'must not be empty');
  return value;
}

function readOptions(value: unknown, at: string): TemplateTokenOption[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new TemplateProblem(at, 'must be an array');
  return value.map((option, i) => {
    const oat = `${at}[${i}]`;
    if (!isObject(option)) throw new TemplateProblem(oat, 'must be an object { value, label }');
    return {
      value: text(option.value, `${oat}.value`, true)!,
      label: text(option.label, `${oat}.label`, true)!,
    };
  });
}

/** Reads a `TimelineEventTemplateToken` request body (name, label, type, options, objectPropertyName). */
export function readTokenRequest(value: unknown, at: string): TemplateToken {
  if (!isObject(value)) throw new TemplateProblem(at === '' ? 'body' : at, 'must be a JSON object');
  const objectPropertyName = text(value.objectPropertyName, fieldAt(at, 'objectPropertyName'), false);
  return {
    name: text(value.name, fieldAt(at, 'name'), true)!,
    label: text(value.label, fieldAt(at, 'label'), true)!,
    type: text(value.type, fieldAt(at, 'type'), true) as TemplateTokenType,
    options: readOptions(value.options, fieldAt(at, 'options')),
    ...(objectPropertyName === undefined ? {} : { objectPropertyName }),
  };
}

/** Reads a `TimelineEventTemplateTokenUpdateRequest` body (label, options, objectPropertyName). */
export function readTokenUpdate(value: unknown): TokenUpdate {
  if (!isObject(value)) throw new TemplateProblem('body', 'must be a JSON object');
  const objectPropertyName = text(value.objectPropertyName, 'objectPropertyName', false);
  return {
    label: text(value.label, 'label', true)!,
    options: readOptions(value.options, 'options'),
    ...(objectPropertyName === undefined ? {} : { objectPropertyName }),
  };
}

function readTokens(value: unknown): TemplateToken[] {
  if (!Array.isArray(value))
    throw new TemplateProblem('tokens', value == null ? 'required' : 'must be an array');
  return value.map((token, i) => readTokenRequest(token, `tokens[${i}]`));
}

function markdown(body: Record<string, unknown>): Pick<EventTemplate, 'headerTemplate' | 'detailTemplate'> {
  const headerTemplate = text(body.headerTemplate, 'headerTemplate', false);
  const detailTemplate = text(body.detailTemplate, 'detailTemplate', false);
  return {
    ...(headerTemplate === undefined ? {} : { headerTemplate }),
    ...(detailTemplate === undefined ? {} : { detailTemplate }),
  };
}

/** Reads a `TimelineEventTemplateCreateRequest` body. */
export function readCreateRequest(body: unknown): Omit<EventTemplate, 'id'> {
  if (!isObject(body)) throw new TemplateProblem('body', 'must be a JSON object');
  return {
    name: text(body.name, 'name', true)!,
    objectType: text(body.objectType, 'objectType', true)!,
    tokens: readTokens(body.tokens),
    ...markdown(body),
  };
}

/** Reads a `TimelineEventTemplateUpdateRequest` body; its `id` must be the path's. */
export function readUpdateRequest(body: unknown, id: string): Omit<EventTemplate, 'id' | 'objectType'> {
  if (!isObject(body)) throw new TemplateProblem('body', 'must be a JSON object');
  const sentId = text(body.id, 'id', true);
  if (sentId !== id) throw new TemplateProblem('id', `must be the template id of the path (${id})`);
  return { name: text(body.name, 'name', true)!, tokens: readTokens(body.tokens), ...markdown(body) };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A token as the template routes answer it (`TimelineEventTemplateToken`). */
export function toTokenResponse(
  token: TemplateToken,
  times: { readonly createdAt: number; readonly updatedAt: number } | undefined,
): Record<string, unknown> {
  return {
    name: token.name,
    label: token.label ?? token.name,
    type: token.type,
    options: (token.options ?? []).map((o) =>
      typeof o === 'string' ? { value: o, label: o } : { value: o.value, label: o.label ?? o.value },
    ),
    ...(token.objectPropertyName === undefined ? {} : { objectPropertyName: token.objectPropertyName }),
    ...(times === undefined ? {} : { createdAt: iso(times.createdAt), updatedAt: iso(times.updatedAt) }),
  };
}

/** A template as the template routes answer it (`TimelineEventTemplate`). */
export function toTemplateResponse(
  template: EventTemplate,
  times: TemplateTimes | undefined,
): Record<string, unknown> {
  return {
    id: template.id,
    name: template.name ?? template.id,
    objectType: template.objectType,
    tokens: template.tokens.map((t) => toTokenResponse(t, times?.tokens.get(t.name))),
    ...(template.headerTemplate === undefined ? {} : { headerTemplate: template.headerTemplate }),
    ...(template.detailTemplate === undefined ? {} : { detailTemplate: template.detailTemplate }),
    ...(times === undefined ? {} : { createdAt: iso(times.createdAt), updatedAt: iso(times.updatedAt) }),
  };
}
