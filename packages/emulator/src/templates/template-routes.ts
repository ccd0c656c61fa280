import { errorBody } from '../bodies.js';
import type { ApiRoute } from '../server/api-route.js';
import type { ApiContext, ApiRun, Outcome } from '../timeline/api-context.js';
import { TemplateProblem } from './compile-templates.js';
import type { EventTemplate } from './template-types.js';
import {
  readCreateRequest,
  readTokenRequest,
  readTokenUpdate,
  readUpdateRequest,
  toTemplateResponse,
  toTokenResponse,
} from './template-wire.js';

const base = '/integrators/timeline/v3/:appId/event-templates';

function ok(status: number, body?: Record<string, unknown>): Outcome {
  return body === undefined ? { status, stored: 0 } : { status, body, stored: 0 };
}

function notFound(message: string, context: Record<string, string[]>): Outcome {
  return ok(404, errorBody('OBJECT_NOT_FOUND', message, { context }));
}

function templateNotFound(id: string): Outcome {
  return notFound(`Event template ${id} was not found.`, { eventTemplateId: [id] });
}

/** Runs a template route, answering a request that breaks the template rules 400 naming the field. */
function guarded(run: ApiRun): ApiRun {
  return (body, ctx, params) => {
    try {
      return run(body, ctx, params);
    } catch (error) {
      if (!(error instanceof TemplateProblem)) throw error;
      return ok(
        400,
        errorBody('VALIDATION_ERROR', error.message, { errors: [{ message: error.message, in: error.in }] }),
      );
    }
  };
}

/** The template of the path, or its 404. */
function pathTemplate(ctx: ApiContext, params: Readonly<Record<string, string>>): EventTemplate | Outcome {
  const id = params.eventTemplateId ?? '';
  return ctx.registry.get(id) ?? templateNotFound(id);
}

function answerTemplate(ctx: ApiContext, status: number, template: EventTemplate): Outcome {
  return ok(status, toTemplateResponse(template, ctx.registry.times(template.id)));
}

/** Replaces the path template's tokens with `tokens`, keeping the rest. */
function withTokens(
  ctx: ApiContext,
  template: EventTemplate,
  tokens: EventTemplate['tokens'],
): EventTemplate {
  const { id: _id, objectType: _type, ...rest } = template;
  return ctx.registry.replace(template.id, { ...rest, tokens }, ctx.now);
}

const routes: readonly (Omit<ApiRoute, 'credential' | 'shape'> & { readonly path: string })[] = [
  {
    method: 'GET',
    path: base,
    run: (_body, ctx) =>
      ok(200, { results: ctx.registry.list().map((t) => toTemplateResponse(t, ctx.registry.times(t.id))) }),
  },
  {
    method: 'POST',
    path: base,
    run: (body, ctx) => answerTemplate(ctx, 201, ctx.registry.create(readCreateRequest(body), ctx.now)),
  },
  {
    method: 'GET',
    path: `${base}/:eventTemplateId`,
    run: (_body, ctx, params) => {
      const template = pathTemplate(ctx, params);
      return 'status' in template ? template : answerTemplate(ctx, 200, template);
    },
  },
  {
    method: 'PUT',
    path: `${base}/:eventTemplateId`,
    run: (body, ctx, params) => {
      const template = pathTemplate(ctx, params);
      if ('status' in template) return template;
      return answerTemplate(
        ctx,
        200,
        ctx.registry.replace(template.id, readUpdateRequest(body, template.id), ctx.now),
      );
    },
  },
  {
    method: 'DELETE',
    path: `${base}/:eventTemplateId`,
    run: (_body, ctx, params) => {
      const id = params.eventTemplateId ?? '';
      return ctx.registry.remove(id) ? ok(204) : templateNotFound(id);
    },
  },
  {
    method: 'POST',
    path: `${base}/:eventTemplateId/tokens`,
    run: (body, ctx, params) => {
      const template = pathTemplate(ctx, params);
      if ('status' in template) return template;
      const token = readTokenRequest(body, '');
      if (template.tokens.some((t) => t.name === token.name)) {
        throw new TemplateProblem('name', `event template ${template.id} already has a token ${token.name}`);
      }
      const next = withTokens(ctx, template, [...template.tokens, token]);
      return ok(200, toTokenResponse(token, ctx.registry.times(next.id)?.tokens.get(token.name)));
    },
  },
  {
    method: 'PUT',
    path: `${base}/:eventTemplateId/tokens/:tokenName`,
    run: (body, ctx, params) => {
      const template = pathTemplate(ctx, params);
      if ('status' in template) return template;
      const name = params.tokenName ?? '';
      const old = template.tokens.find((t) => t.name === name);
      if (old === undefined)
        return notFound(`Token ${name} was not found on event template ${template.id}.`, {
          tokenName: [name],
        });
      const token = { ...old, ...readTokenUpdate(body) };
      const next = withTokens(
        ctx,
        template,
        template.tokens.map((t) => (t.name === name ? token : t)),
      );
      return ok(200, toTokenResponse(token, ctx.registry.times(next.id)?.tokens.get(name)));
    },
  },
  {
    method: 'DELETE',
    path: `${base}/:eventTemplateId/tokens/:tokenName`,
    run: (_body, ctx, params) => {
      const template = pathTemplate(ctx, params);
      if ('status' in template) return template;
      const name = params.tokenName ?? '';
      if (!template.tokens.some((t) => t.name === name)) {
        return notFound(`Token ${name} was not found on event template ${template.id}.`, {
          tokenName: [name],
        });
      }
      withTokens(
        ctx,
        template,
        template.tokens.filter((t) => t.name !== name),
      );
      return ok(204);
    },
  },
];

/**
 * The app's event-template routes (`/integrators/timeline/v3/{appId}/event-templates…`): list, create, read,
 * replace and delete templates, and add, change and delete their tokens. They take the developer API key
 * (`?hapikey=`), not an account's token, and change the templates every account's events are judged against.
 */
export const templateRoutes: readonly ApiRoute[] = Object.freeze(
  routes.map((r): ApiRoute => ({ ...r, credential: 'developer', shape: 'other', run: guarded(r.run) })),
);
