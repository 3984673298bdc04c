/* The agent panel's own words in English (en) and Simplified Chinese (zh, shown as zh-CN),
 * and which of the two the panel speaks: the agent's choice (the EN / 中文 switch in the
 * header, kept in localStorage), else the browser's language. What the API says (reasons,
 * intents, suggested replies, the customer's and the bot's words) is shown as it comes.
 *
 * Static text in agent.html carries data-i18n="<key>" (its text), data-i18n-label (its
 * aria-label) or data-i18n-placeholder; applyPage() sets them all. A module that builds
 * nodes calls t(key, {values}) and is re-rendered on a switch (main.js). */

// The catalogue is JSON between the two marker lines: the fast tests
// (tests/api/test_api_web.py) read it and check that every language has the same keys
// with the same {placeholders}. To add a language: a block here and a tag in TAGS.
// BEGIN catalogue
export var CATALOGUE = {
  "en": {
    "page.title": "Agent panel: agent assist",
    "page.heading": "Agent panel",
    "language": "Language of the panel",
    "me.signed_in_as": "Signed in as",
    "me.sign_out": "Sign out",
    "signin.title": "Sign in",
    "signin.agent": "Agent name",
    "signin.password": "Password",
    "signin.submit": "Sign in",
    "signin.demo": "Demo:",
    "signin.wrong": "Sign-in failed: wrong agent name or password.",
    "signin.missing": "Sign-in failed: enter your agent name and password.",
    "signin.failed": "Sign-in failed: {error}.",
    "session.expired": "Your session has expired: sign in again.",
    "conn.live": "Live",
    "conn.reconnecting": "Live updates lost: reconnecting…",
    "offline": "the service cannot be reached (check that it is running)",
    "queue.title": "Waiting for a person",
    "queue.empty": "No one is waiting.",
    "queue.mine": "My conversations",
    "queue.mine_empty": "None.",
    "queue.waiting": "waiting {time}",
    "queue.anonymous": "Anonymous visitor",
    "queue.requested": "hand-off requested",
    "queue.stage": "stage: ",
    "queue.stage_unknown": "stage: unknown",
    "queue.sentiment": "sentiment: {mood}",
    "queue.frustration": "{mood}, frustration {value}",
    "queue.claim": "Claim",
    "queue.claim_label": "Claim the conversation with {name}",
    "queue.view": "View",
    "queue.view_label": "View the conversation with {name}",
    "queue.open": "{name} · open",
    "mood.positive": "positive",
    "mood.neutral": "neutral",
    "mood.negative": "negative",
    "mood.unknown": "unknown",
    "time.s": "{s} s",
    "time.min_s": "{m} min {s} s",
    "time.h_min": "{h} h {m} min",
    "lang.en": "English",
    "lang.zh": "Chinese",
    "lang.customer": "The customer writes in {language}",
    "lang.turn": "This message is in {language}",
    "conv.none": "Claim a conversation from the queue to start.",
    "conv.handoff": "Hand-off",
    "conv.why": "Why:",
    "conv.bot_did": "What the bot did:",
    "conv.not_handed_off": "not handed off",
    "conv.nothing_yet": "nothing yet",
    "conv.transcript": "Transcript",
    "conv.reply": "Reply to the customer",
    "conv.send": "Send",
    "conv.claim": "Claim",
    "conv.hand_back": "Hand back to the bot",
    "conv.close": "Close conversation",
    "conv.queued": "waiting for a person",
    "conv.with_you": "with you",
    "conv.with_agent": "with {agent}",
    "conv.with_bot": "with the bot",
    "conv.closed": "closed",
    "conv.too_late": "Too late: another agent has already taken this conversation ({error}).",
    "conv.claim_failed": "Could not claim it: {error}.",
    "conv.load_failed": "Could not load the conversation: {error}.",
    "conv.action_failed": "That did not work: {error}.",
    "role.customer": "Customer",
    "role.bot": "Bot",
    "role.system": "System",
    "role.agent": "{agent} (agent)",
    "composer.from": "From the suggestion “{title}”: edit it before sending if needed.",
    "composer.empty": "Write a reply first.",
    "composer.claim_first": "Not sent: claim the conversation first ({error}).",
    "composer.refused": "Not sent: {error}.",
    "composer.failed": "Not sent: {error}. Your text is still in the box.",
    "wrapup.title": "Wrap-up",
    "wrapup.hint": "Proposed from the transcript: edit any line, empty it to drop it. Hover a line to see the turns it cites.",
    "wrapup.code": "Disposition",
    "wrapup.save": "Save wrap-up and close",
    "wrapup.cancel": "Cancel",
    "wrapup.wanted": "What the customer wanted",
    "wrapup.done": "What was done",
    "wrapup.promised": "What was promised",
    "wrapup.next_step": "Next step",
    "wrapup.line": "wrap-up line",
    "wrapup.cites_title": "the turns this line comes from",
    "wrapup.cites": "cites {turns}",
    "wrapup.add": "+ add a line",
    "wrapup.outcome": "Outcome: {outcome}",
    "wrapup.intents": " · intents: {intents}",
    "wrapup.propose_failed": "Could not propose a wrap-up: {error}.",
    "wrapup.close_failed": "Not closed: {error}. Your wrap-up is still here.",
    "assist.label": "Agent assist",
    "assist.empty": "Assist cards appear here for the open conversation.",
    "assist.loading": "Loading…",
    "assist.no_message": "No customer message yet: assist starts with the customer's first message.",
    "assist.unavailable": "Assist is unavailable: {error}.",
    "assist.note": "Note: {warnings}",
    "card.customer": "Customer",
    "card.timeline": "Journey across channels",
    "card.stage": "Journey stage",
    "card.related": "Related history",
    "card.intent": "Intent",
    "card.sentiment": "Sentiment",
    "card.suggestions": "Suggested replies",
    "card.articles": "Knowledge articles",
    "card.nba": "Next best action",
    "customer.anonymous": "Anonymous visitor: no history.",
    "customer.name": "Name",
    "customer.tier": "Tier",
    "customer.since": "Customer since",
    "customer.orders": "Orders",
    "customer.orders_value": "{count} · lifetime value €{value}",
    "customer.marketing": "Marketing",
    "customer.opted_out": "opted out",
    "customer.accepted": "accepted",
    "customer.open_orders": "Open orders",
    "customer.eta": " · ETA {date}",
    "customer.tracking": "tracking",
    "customer.none": "none",
    "customer.open_tickets": "Open tickets",
    "customer.ticket": " {topic} ({priority}, opened {date}): {summary}",
    "customer.last_contact": "Last contact per channel",
    "customer.no_contact": "no earlier contact",
    "stage.unknown": "Unknown (no history).",
    "stage.confidence": " confidence {value}",
    "stage.evidence": "Evidence",
    "stage.model": "{name} ({model} model: {title})",
    "intent.correct": "Correct intent",
    "intent.save": "Save correction",
    "intent.unknown": "unknown",
    "intent.out_of_scope": "out of scope",
    "intent.confidence": "confidence {value}",
    "intent.calibrated": "confidence {value} (calibrated)",
    "intent.then": "then: {ranking}",
    "intent.entities": "Entities: ",
    "intent.nothing": "There is no customer message to correct yet.",
    "intent.saved": "Saved: “{text}” is labelled {label} for retraining.",
    "intent.not_saved": "Not saved: {error}.",
    "articles.none": "No article for this turn.",
    "related.none": "Nothing like this turn in the history yet.",
    "related.case": "resolved case",
    "related.wrapup": "wrap-up",
    "related.alike": "{value} alike",
    "nba.none": "None.",
    "nba.marketing": "Marketing allowed: ",
    "nba.yes": "yes",
    "nba.no": "no",
    "sugg.none": "No suggestion for this turn.",
    "sugg.source": "source: {source}",
    "sugg.use": "Use",
    "sugg.use_label": "Use this reply: {title}",
    "sugg.dismiss": "Dismiss",
    "sugg.dismiss_label": "Dismiss this suggestion: {title}",
    "feedback.failed": "Feedback was not recorded: {error}.",
    "timeline.none": "No timeline: {error}.",
    "timeline.empty": "No events yet.",
    "timeline.label": "Journey timeline: {events} events on {lanes} channels",
    "timeline.this_chat": "this chat",
    "timeline.now": "now",
    "timeline.day": "1 d",
    "timeline.week": "1 wk",
    "timeline.month": "1 mo",
    "timeline.year": "1 yr",
    "timeline.years": "3 yr",
    "timeline.help": "{events} events; hover or focus a dot for details. Time runs left to right (square-root scale).",
    "sentiment.none": "No customer message analysed yet.",
    "sentiment.frustration": " · frustration {value}",
    "sentiment.label": "Sentiment over the customer's {count} message(s): last is {mood}",
    "sentiment.point": "“{text}”: tone {tone}, frustration {frustration}",
    "sentiment.tone": "tone",
    "sentiment.frus": "frustration",
    "sentiment.legend": " per customer message, oldest left"
  },
  "zh": {
    "page.title": "坐席面板：智能坐席辅助",
    "page.heading": "坐席面板",
    "language": "面板语言",
    "me.signed_in_as": "当前登录：",
    "me.sign_out": "退出登录",
    "signin.title": "登录",
    "signin.agent": "坐席账号",
    "signin.password": "密码",
    "signin.submit": "登录",
    "signin.demo": "演示账号：",
    "signin.wrong": "登录失败：账号或密码错误。",
    "signin.missing": "登录失败：请输入账号和密码。",
    "signin.failed": "登录失败：{error}。",
    "session.expired": "登录已过期，请重新登录。",
    "conn.live": "实时",
    "conn.reconnecting": "实时更新已中断，正在重新连接…",
    "offline": "无法连接服务（请确认服务正在运行）",
    "queue.title": "等待人工",
    "queue.empty": "当前没有人在等待。",
    "queue.mine": "我的对话",
    "queue.mine_empty": "无。",
    "queue.waiting": "已等待 {time}",
    "queue.anonymous": "匿名访客",
    "queue.requested": "已请求转人工",
    "queue.stage": "阶段：",
    "queue.stage_unknown": "阶段：未知",
    "queue.sentiment": "情绪：{mood}",
    "queue.frustration": "{mood}，挫败感 {value}",
    "queue.claim": "认领",
    "queue.claim_label": "认领与 {name} 的对话",
    "queue.view": "查看",
    "queue.view_label": "查看与 {name} 的对话",
    "queue.open": "{name} · 进行中",
    "mood.positive": "积极",
    "mood.neutral": "中性",
    "mood.negative": "消极",
    "mood.unknown": "未知",
    "time.s": "{s} 秒",
    "time.min_s": "{m} 分 {s} 秒",
    "time.h_min": "{h} 小时 {m} 分",
    "lang.en": "英文",
    "lang.zh": "中文",
    "lang.customer": "客户使用{language}",
    "lang.turn": "此消息为{language}",
    "conv.none": "从队列中认领一个对话即可开始。",
    "conv.handoff": "转人工信息",
    "conv.why": "原因：",
    "conv.bot_did": "机器人已处理：",
    "conv.not_handed_off": "未转人工",
    "conv.nothing_yet": "暂无",
    "conv.transcript": "对话记录",
    "conv.reply": "回复客户",
    "conv.send": "发送",
    "conv.claim": "认领",
    "conv.hand_back": "交还给机器人",
    "conv.close": "结束对话",
    "conv.queued": "等待人工",
    "conv.with_you": "由您接待",
    "conv.with_agent": "由 {agent} 接待",
    "conv.with_bot": "由机器人接待",
    "conv.closed": "已结束",
    "conv.too_late": "晚了一步：另一位坐席已认领此对话（{error}）。",
    "conv.claim_failed": "认领失败：{error}。",
    "conv.load_failed": "无法加载对话：{error}。",
    "conv.action_failed": "操作失败：{error}。",
    "role.customer": "客户",
    "role.bot": "机器人",
    "role.system": "系统",
    "role.agent": "{agent}（坐席）",
    "composer.from": "来自建议“{title}”：如有需要，发送前请先修改。",
    "composer.empty": "请先输入回复。",
    "composer.claim_first": "未发送：请先认领此对话（{error}）。",
    "composer.refused": "未发送：{error}。",
    "composer.failed": "未发送：{error}。您输入的内容仍在输入框中。",
    "wrapup.title": "对话小结",
    "wrapup.hint": "根据对话记录生成：可修改任意一行，清空即删除。将鼠标悬停在某一行上，可查看它引用的对话。",
    "wrapup.code": "处理结果代码",
    "wrapup.save": "保存小结并结束对话",
    "wrapup.cancel": "取消",
    "wrapup.wanted": "客户诉求",
    "wrapup.done": "已处理事项",
    "wrapup.promised": "对客户的承诺",
    "wrapup.next_step": "下一步",
    "wrapup.line": "小结条目",
    "wrapup.cites_title": "此条目引用的对话",
    "wrapup.cites": "引用 {turns}",
    "wrapup.add": "+ 添加一行",
    "wrapup.outcome": "结果：{outcome}",
    "wrapup.intents": " · 意图：{intents}",
    "wrapup.propose_failed": "无法生成对话小结：{error}。",
    "wrapup.close_failed": "未能结束对话：{error}。您的小结仍保留在此。",
    "assist.label": "坐席辅助",
    "assist.empty": "打开一个对话后，辅助卡片会显示在这里。",
    "assist.loading": "加载中…",
    "assist.no_message": "客户尚未发送消息：辅助从客户的第一条消息开始。",
    "assist.unavailable": "辅助暂不可用：{error}。",
    "assist.note": "注意：{warnings}",
    "card.customer": "客户",
    "card.timeline": "跨渠道客户旅程",
    "card.stage": "旅程阶段",
    "card.related": "相关历史",
    "card.intent": "意图",
    "card.sentiment": "情绪",
    "card.suggestions": "建议回复",
    "card.articles": "知识文章",
    "card.nba": "下一步最佳行动",
    "customer.anonymous": "匿名访客：没有历史记录。",
    "customer.name": "姓名",
    "customer.tier": "等级",
    "customer.since": "成为客户",
    "customer.orders": "订单",
    "customer.orders_value": "{count} · 累计消费 €{value}",
    "customer.marketing": "营销",
    "customer.opted_out": "已退订",
    "customer.accepted": "已同意",
    "customer.open_orders": "未完成订单",
    "customer.eta": " · 预计送达 {date}",
    "customer.tracking": "物流跟踪",
    "customer.none": "无",
    "customer.open_tickets": "未关闭工单",
    "customer.ticket": " {topic}（{priority}，{date} 创建）：{summary}",
    "customer.last_contact": "各渠道最近联系",
    "customer.no_contact": "此前没有联系",
    "stage.unknown": "未知（没有历史记录）。",
    "stage.confidence": " 置信度 {value}",
    "stage.evidence": "依据",
    "stage.model": "{name}（{model} 模型：{title}）",
    "intent.correct": "更正意图",
    "intent.save": "保存更正",
    "intent.unknown": "未知",
    "intent.out_of_scope": "超出范围",
    "intent.confidence": "置信度 {value}",
    "intent.calibrated": "置信度 {value}（已校准）",
    "intent.then": "其次：{ranking}",
    "intent.entities": "实体：",
    "intent.nothing": "还没有可以更正的客户消息。",
    "intent.saved": "已保存：“{text}”已标注为 {label}，将用于重新训练。",
    "intent.not_saved": "未保存：{error}。",
    "articles.none": "本轮没有相关文章。",
    "related.none": "历史记录中暂无与本轮相似的内容。",
    "related.case": "已解决案例",
    "related.wrapup": "对话小结",
    "related.alike": "相似度 {value}",
    "nba.none": "无。",
    "nba.marketing": "允许营销：",
    "nba.yes": "是",
    "nba.no": "否",
    "sugg.none": "本轮没有建议回复。",
    "sugg.source": "来源：{source}",
    "sugg.use": "使用",
    "sugg.use_label": "使用此回复：{title}",
    "sugg.dismiss": "忽略",
    "sugg.dismiss_label": "忽略此建议：{title}",
    "feedback.failed": "反馈未能记录：{error}。",
    "timeline.none": "无法显示时间线：{error}。",
    "timeline.empty": "暂无事件。",
    "timeline.label": "客户旅程时间线：{lanes} 个渠道，共 {events} 个事件",
    "timeline.this_chat": "本次对话",
    "timeline.now": "现在",
    "timeline.day": "1 天",
    "timeline.week": "1 周",
    "timeline.month": "1 月",
    "timeline.year": "1 年",
    "timeline.years": "3 年",
    "timeline.help": "共 {events} 个事件；悬停或聚焦圆点可查看详情。时间从左到右（平方根刻度）。",
    "sentiment.none": "尚无已分析的客户消息。",
    "sentiment.frustration": " · 挫败感 {value}",
    "sentiment.label": "客户 {count} 条消息的情绪：最近一条为{mood}",
    "sentiment.point": "“{text}”：语气 {tone}，挫败感 {frustration}",
    "sentiment.tone": "语气",
    "sentiment.frus": "挫败感",
    "sentiment.legend": "：每条客户消息一个点，最早的在左"
  }
};
// END catalogue

var TAGS = { en: "en", zh: "zh-CN" }; // each language's BCP 47 tag (lang attributes, dates)
// each language's name in itself: the badges and the switch show it the same way in both
export var LANGUAGE_BADGES = { en: "EN", zh: "中文" };
var KEY = "agent-assist-lang";

var current = initial();
var listeners = [];

// "zh", "zh-CN", "zh-Hans" -> "zh"; "en-GB" -> "en"; anything else -> null
export function languageOf(value) {
  var code = String(value || "").toLowerCase().split(/[-_]/)[0];
  return Object.prototype.hasOwnProperty.call(CATALOGUE, code) ? code : null;
}

// the agent's earlier choice, else the browser's language (zh... -> zh), else English
function initial() {
  var saved = null;
  try {
    saved = localStorage.getItem(KEY);
  } catch (e) {
    /* storage off: the browser's language */
  }
  return languageOf(saved) || (/^zh\b/i.test(navigator.language || "") ? "zh" : "en");
}

// the panel's language (en / zh)
export function lang() {
  return current;
}

// its BCP 47 tag, for lang attributes and dates ("zh-CN")
export function locale() {
  return TAGS[current];
}

// the tag of any language the API names ("zh" -> "zh-CN"); "" when unknown
export function tagOf(language) {
  return TAGS[languageOf(language)] || "";
}

// the catalogue's text for `key` in the panel's language, {placeholders} filled
export function t(key, values) {
  var text = CATALOGUE[current][key];
  if (text === undefined) text = CATALOGUE.en[key];
  if (text === undefined) return key;
  return String(text).replace(/\{(\w+)\}/g, function (m, name) {
    return values && values[name] !== undefined ? String(values[name]) : m;
  });
}

// a language's name in the panel's language ("Chinese" / "中文"), or the code itself
export function languageName(language) {
  var code = languageOf(language);
  return code ? t("lang." + code) : String(language || "");
}

// a sentiment label of the API (positive, neutral, negative) in the panel's language
export function moodName(label) {
  var key = "mood." + label;
  var name = t(key);
  return name === key ? label : name;
}

// the static text of the page (data-i18n*), the page's lang and title, the switch
export function applyPage() {
  document.documentElement.lang = TAGS[current];
  document.title = t("page.title");
  document.querySelectorAll("[data-i18n]").forEach(function (n) {
    n.textContent = t(n.dataset.i18n);
  });
  document.querySelectorAll("[data-i18n-label]").forEach(function (n) {
    n.setAttribute("aria-label", t(n.dataset.i18nLabel));
  });
  document.querySelectorAll("[data-i18n-placeholder]").forEach(function (n) {
    n.setAttribute("placeholder", t(n.dataset.i18nPlaceholder));
  });
  document.querySelectorAll("[data-set-lang]").forEach(function (b) {
    b.setAttribute("aria-pressed", String(b.dataset.setLang === current));
  });
}

// switch to `language` (remembered in this browser): the page's static text at once,
// then every listener (main.js re-renders what modules built)
export function setLanguage(language) {
  var code = languageOf(language);
  if (!code || code === current) return;
  current = code;
  try {
    localStorage.setItem(KEY, code);
  } catch (e) {
    /* not remembered; this page still switches */
  }
  applyPage();
  listeners.forEach(function (fn) {
    fn(code);
  });
}

export function onLanguageChange(fn) {
  listeners.push(fn);
}

// the badge of a customer's language: "中文" / "EN" (with its lang attribute), its name in
// the tooltip (titleKey: "lang.customer" or "lang.turn"); null for an unknown one
export function languageBadge(language, titleKey) {
  var code = languageOf(language);
  if (!code) return null;
  var badge = document.createElement("span");
  badge.className = "badge lang lang-" + code;
  badge.dataset.language = code;
  badge.lang = TAGS[code];
  badge.textContent = LANGUAGE_BADGES[code];
  badge.title = t(titleKey, { language: languageName(code) });
  return badge;
}
