import * as lark from '@larksuiteoapi/node-sdk';
import type { Department } from '../domain/types.js';
import type { LarkConfig } from '../platform/config.js';

/**
 * `npm run lark:check` and /healthz `larkSetup`: with the configured credentials, what a new
 * tenant still lacks, in plain words. It gets a tenant token, reads the bot, lists the groups
 * the bot is in (GET /open-apis/im/v1/chats) against the departments bound to them, and says
 * when events or card callbacks have not reached the app. A scope Lark refuses is named as Lark
 * names it (code 99991672, `error.permission_violations`).
 */

export interface SetupFinding {
  /** `problem`: something to fix before cuiban works; `note`: worth knowing, nothing broken. */
  level: 'problem' | 'note';
  message: string;
}

export interface SetupReport {
  ok: boolean;
  checkedAt: string;
  bot: { openId: string; name: string } | null;
  /** Groups the bot is in, as Lark lists them (null when they could not be read). */
  chats: number | null;
  findings: SetupFinding[];
}

/** What the check reads from cuiban itself (the database), passed in by the caller. */
export interface SetupFacts {
  /** Departments, or null when they cannot be read here (the CLI on the embedded database). */
  departments: Department[] | null;
  /** When the last event and card callback arrived (null: none kept). */
  lastReceived: { event: Date | null; cardCallback: Date | null } | null;
}

/** The scopes cuiban needs, by name, and why (docs/lark-setup.md lists the same). */
export const REQUIRED_SCOPES: Record<string, string> = {
  'im:message:send_as_bot': 'send reminders and replies as the bot',
  'im:message': 'update the cards already sent (办结 turns them grey) and reply in threads',
  'im:message.p2p_msg:readonly': 'receive the direct messages people send the bot',
  'im:message.group_at_msg:readonly': 'receive group messages that @-mention the bot',
  'im:chat:readonly': 'list the groups the bot is in (this check) and read their names',
};

interface LarkAnswer {
  code?: number;
  msg?: string;
  error?: { permission_violations?: Array<{ subject?: string }> };
  [key: string]: unknown;
}

type Http = (input: {
  method: 'GET' | 'POST';
  path: string;
  token?: string;
  data?: unknown;
}) => Promise<LarkAnswer>;

function httpOver(baseUrl: string, timeoutMs: number): Http {
  const base = lark.defaultHttpInstance as unknown as lark.HttpInstance;
  return async ({ method, path, token, data }) => {
    try {
      return (await base.request({
        method,
        url: `${baseUrl}${path}`,
        data,
        timeout: timeoutMs,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
      })) as LarkAnswer;
    } catch (error) {
      const response = (error as { response?: { status?: number; data?: unknown } }).response;
      if (response && typeof response.data === 'object' && response.data !== null)
        return response.data as LarkAnswer;
      const reason = response?.status ? `HTTP ${response.status}` : ((error as Error).message ?? 'no answer');
      return { code: -1, msg: `no answer from ${baseUrl} (${reason})` };
    }
  };
}

/** "code 99991672: Access denied…" with the scopes Lark says are missing. */
function missingScopes(answer: LarkAnswer): string[] {
  const subjects = (answer.error?.permission_violations ?? [])
    .map((v) => v.subject)
    .filter((s): s is string => typeof s === 'string');
  if (subjects.length > 0) return subjects;
  const listed = /\[([^\]]+)\]/.exec(answer.msg ?? '')?.[1];
  return listed ? listed.split(',').map((s) => s.trim()) : [];
}

const SCOPE_REFUSED = 99991672;

function scopeProblem(what: string, answer: LarkAnswer): SetupFinding {
  const scopes = missingScopes(answer);
  return {
    level: 'problem',
    message: `Lark refused to ${what} for a missing scope (code ${answer.code}): add ${
      scopes.length > 0 ? scopes.map((s) => `"${s}"`).join(' or ') : 'the scope Lark names'
    } under 权限管理 (Permissions), then publish a new version of the app.`,
  };
}

const DAY_MS = 24 * 3600_000;

export async function checkLarkSetup(
  config: LarkConfig,
  facts: SetupFacts,
  now: Date,
  options: { timeoutMs?: number } = {},
): Promise<SetupReport> {
  const findings: SetupFinding[] = [];
  const report = (bot: SetupReport['bot'], chats: number | null): SetupReport => ({
    ok: !findings.some((f) => f.level === 'problem'),
    checkedAt: now.toISOString(),
    bot,
    chats,
    findings,
  });
  const problem = (message: string) => findings.push({ level: 'problem', message });
  const note = (message: string) => findings.push({ level: 'note', message });

  if (!config.appId || !config.appSecret) {
    problem(
      "LARK_APP_ID and LARK_APP_SECRET are not set: copy them from the app's 凭证与基础信息 (Credentials) page in the developer console.",
    );
    return report(null, null);
  }
  const http = httpOver(config.baseUrl, options.timeoutMs ?? 10_000);

  const tokenAnswer = await http({
    method: 'POST',
    path: '/open-apis/auth/v3/tenant_access_token/internal',
    data: { app_id: config.appId, app_secret: config.appSecret },
  });
  const token = typeof tokenAnswer.tenant_access_token === 'string' ? tokenAnswer.tenant_access_token : null;
  if (tokenAnswer.code !== 0 || !token) {
    problem(
      tokenAnswer.code === -1
        ? `Lark cannot be reached: ${tokenAnswer.msg}. Check LARK_DOMAIN and that this machine may reach it.`
        : `Lark refused the app id and secret (code ${tokenAnswer.code}: ${tokenAnswer.msg}): copy LARK_APP_ID and LARK_APP_SECRET again from 凭证与基础信息.`,
    );
    return report(null, null);
  }

  let bot: SetupReport['bot'] = null;
  const botAnswer = await http({ method: 'GET', path: '/open-apis/bot/v3/info', token });
  const botInfo = botAnswer.bot as { open_id?: string; app_name?: string } | undefined;
  if (botAnswer.code === 0 && botInfo?.open_id) {
    bot = { openId: botInfo.open_id, name: botInfo.app_name ?? '' };
  } else if (botAnswer.code === SCOPE_REFUSED) {
    findings.push(scopeProblem("read the bot's own info", botAnswer));
  } else {
    problem(
      `The app has no bot (code ${botAnswer.code}: ${botAnswer.msg}): enable the 机器人 (Bot) capability under 应用能力, then publish a new version.`,
    );
  }

  // Every group the bot is in, page by page.
  const chats = new Map<string, string>();
  let chatsRead = true;
  let pageToken = '';
  for (let page = 0; page < 50; page++) {
    const answer = await http({
      method: 'GET',
      path: `/open-apis/im/v1/chats?page_size=100${pageToken ? `&page_token=${encodeURIComponent(pageToken)}` : ''}`,
      token,
    });
    if (answer.code !== 0) {
      chatsRead = false;
      if (answer.code === SCOPE_REFUSED) findings.push(scopeProblem('list the groups the bot is in', answer));
      else problem(`The groups the bot is in could not be listed (code ${answer.code}: ${answer.msg}).`);
      break;
    }
    const data = (answer.data ?? {}) as {
      items?: Array<{ chat_id?: string; name?: string }>;
      has_more?: boolean;
      page_token?: string;
    };
    for (const c of data.items ?? []) if (c.chat_id) chats.set(c.chat_id, c.name ?? '');
    if (!data.has_more || !data.page_token) break;
    pageToken = data.page_token;
  }

  if (facts.departments === null) {
    note(
      "Departments were not compared with the groups here: see larkSetup on the running service's /healthz.",
    );
  } else {
    if (facts.departments.length === 0) {
      problem(
        'No department is registered yet: add them with PUT /api/v1/departments/:code (docs/lark-setup.md, step 9).',
      );
    }
    for (const d of facts.departments) {
      if (!d.chatId) {
        note(
          `${d.name} (${d.code}) has no group: in its group, after adding the bot, type "@催办 绑定 ${d.code}".`,
        );
      } else if (chatsRead && !chats.has(d.chatId)) {
        problem(
          `${d.name} (${d.code}) is bound to the group ${d.chatId}, but the bot is not in it: add the bot to that group (群设置 → 群机器人 → 添加机器人), or bind the right group with "@催办 绑定 ${d.code}".`,
        );
      }
    }
    if (chatsRead) {
      const bound = new Set(facts.departments.map((d) => d.chatId).filter(Boolean));
      const unbound = [...chats].filter(([id]) => !bound.has(id));
      if (unbound.length > 0) {
        note(
          `The bot is in ${unbound.length} group(s) no department is bound to: ${unbound
            .slice(0, 5)
            .map(([id, name]) => `${name || '(no name)'} ${id}`)
            .join(', ')}${unbound.length > 5 ? ', …' : ''}.`,
        );
      }
    }
  }

  if (facts.lastReceived) {
    const where =
      config.mode === 'ws'
        ? 'the long connection (事件与回调 → 订阅方式: 使用长连接接收事件/回调, with the service running)'
        : 'https://<your host>/lark/events (事件与回调 → 事件配置 → 请求地址)';
    const { event, cardCallback } = facts.lastReceived;
    if (!event) {
      problem(
        `No event has reached the app in the last 7 days: check that events are sent to ${where}, that im.message.receive_v1 is subscribed, and send the bot a direct message to try.`,
      );
    } else if (now.getTime() - event.getTime() > DAY_MS) {
      note(`The last event arrived ${event.toISOString()}.`);
    }
    if (!cardCallback) {
      // Clicks may simply not have happened yet: worth knowing, not a fault.
      note(
        `No card click has reached the app in the last 7 days: check that card.action.trigger is subscribed under 回调配置 with ${
          config.mode === 'ws' ? 'the long connection' : 'the request URL https://<your host>/lark/cards'
        }, then click a button on one of the bot's cards.`,
      );
    }
  }

  return report(bot, chatsRead ? chats.size : null);
}

/** The report as lines for a person (the CLI). */
export function describeSetup(report: SetupReport): string[] {
  const lines = [
    report.bot ? `bot: ${report.bot.name || '(no name)'} (${report.bot.openId})` : 'bot: not read',
    `groups the bot is in: ${report.chats ?? 'not read'}`,
  ];
  for (const f of report.findings) lines.push(`${f.level === 'problem' ? '✗' : '·'} ${f.message}`);
  lines.push(
    report.ok ? 'OK: nothing missing.' : 'Something is missing: fix the ✗ lines above and run it again.',
  );
  return lines;
}
