/* The staff pages' languages (the agent panel and the supervisor page): English (en) and
 * Simplified Chinese (zh, shown as zh-CN). Which one a page speaks: the person's choice
 * (the EN / 中文 switch in the header, kept in localStorage and shared by the pages of the
 * site), else the browser's language. Each page keeps its own words in its own catalogue
 * (agent/i18n.js, supervisor/i18n.js) and makes its t() from it with translator(); this
 * module holds the rest:
 *
 *   lang(), locale()        the language (en / zh) and its BCP 47 tag (en / zh-CN)
 *   translator(catalogue)   t(key, {values}) over a catalogue, English as the fallback
 *   applyPage(t)            the page's static text: data-i18n="<key>" (its text),
 *                           data-i18n-label (aria-label), data-i18n-placeholder, the
 *                           title (key "page.title"), <html lang>, the switch's state
 *   bindSwitch()            the [data-set-lang] buttons of the switch
 *   setLanguage(), onLanguageChange(fn)   a switch; the page re-renders what it built
 *   number(), list()        numbers and lists in the language (Intl)
 *
 * To add a language: its tag in TAGS, its badge in LANGUAGE_BADGES, and a block in every
 * page's catalogue (tests/api/test_api_web.py fails until each key has a text). */

// each language's BCP 47 tag (lang attributes, dates and numbers)
export var TAGS = { en: "en", zh: "zh-CN" };
// each language's name in itself: the badges and the switch show it the same way in both
export var LANGUAGE_BADGES = { en: "EN", zh: "中文" };
var KEY = "agent-assist-lang";

var current = initial();
var listeners = [];
var pageText = null; // the t() of the page's own catalogue (applyPage)

// "zh", "zh-CN", "zh-Hans" -> "zh"; "en-GB" -> "en"; anything else -> null
export function languageOf(value) {
  var code = String(value || "").toLowerCase().split(/[-_]/)[0];
  return Object.prototype.hasOwnProperty.call(TAGS, code) ? code : null;
}

// the person's earlier choice, else the browser's language (zh... -> zh), else English
function initial() {
  var saved = null;
  try {
    saved = localStorage.getItem(KEY);
  } catch (e) {
    /* storage off: the browser's language */
  }
  return languageOf(saved) || (/^zh\b/i.test(navigator.language || "") ? "zh" : "en");
}

// the page's language (en / zh)
export function lang() {
  return current;
}

// its BCP 47 tag, for lang attributes, dates and numbers ("zh-CN")
export function locale() {
  return TAGS[current];
}

// the tag of any language the API names ("zh" -> "zh-CN"); "" when unknown
export function tagOf(language) {
  return TAGS[languageOf(language)] || "";
}

// t(key, values): the catalogue's text for `key` in the page's language (English when
// the language lacks it, the key itself when both do), {placeholders} filled
export function translator(catalogue) {
  return function t(key, values) {
    var texts = catalogue[current] || {};
    var text = texts[key];
    if (text === undefined) text = catalogue.en[key];
    if (text === undefined) return key;
    return String(text).replace(/\{(\w+)\}/g, function (m, name) {
      return values && values[name] !== undefined ? String(values[name]) : m;
    });
  };
}

// the static text of the page (data-i18n*), the page's lang and title, the switch; `t`:
// the page's translator (kept: a switch applies the page again with it)
export function applyPage(t) {
  if (t) pageText = t;
  if (!pageText) return;
  document.documentElement.lang = TAGS[current];
  document.title = pageText("page.title");
  document.querySelectorAll("[data-i18n]").forEach(function (n) {
    n.textContent = pageText(n.dataset.i18n);
  });
  document.querySelectorAll("[data-i18n-label]").forEach(function (n) {
    n.setAttribute("aria-label", pageText(n.dataset.i18nLabel));
  });
  document.querySelectorAll("[data-i18n-placeholder]").forEach(function (n) {
    n.setAttribute("placeholder", pageText(n.dataset.i18nPlaceholder));
  });
  document.querySelectorAll("[data-set-lang]").forEach(function (b) {
    b.setAttribute("aria-pressed", String(b.dataset.setLang === current));
  });
}

// switch to `language` (remembered in this browser): the page's static text at once,
// then every listener (the page re-renders what its modules built)
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

// the switch in the header: <button data-set-lang="zh">中文</button> ...
export function bindSwitch() {
  document.querySelectorAll("[data-set-lang]").forEach(function (b) {
    b.addEventListener("click", function () {
      setLanguage(b.dataset.setLang);
    });
  });
}

// a number in the page's language (Intl.NumberFormat options: {style: "percent"}, ...)
export function number(value, options) {
  return new Intl.NumberFormat(TAGS[current], options).format(value);
}

// ["a", "b", "c"] -> "a, b, and c" / "a、b和c"
export function list(items) {
  return new Intl.ListFormat(TAGS[current], { style: "long", type: "conjunction" }).format(items);
}
