"""Sentiment and frustration of a customer message.

VADER gives the polarity (`compound`). Frustration adds what VADER misses in customer
service ("I already called you yesterday!!" is neutral to VADER): explicit signals, each
named in `Sentiment.signals` when it fires, combined with VADER's negativity by a
noisy-OR, so each signal raises the score and none alone reaches 1:

    frustration = 1 - prod(1 - weight_i for every fired signal i)

Weights (`SIGNAL_WEIGHTS`), chosen so that one strong signal reads as "annoyed"
(~0.5), two or three as "hand to a person" (>= 0.7), and one intensifier alone stays low:

    negative_tone         0.7 * -compound (when compound <= -0.05)
    repeat_contact        0.50  already called/told..., third time, N times, nobody helps;
                                "still"/"again"/"yesterday" only next to a complaint
    profanity             0.50  damn, crap, f*cking, wtf...
    threat_to_leave       0.50  "or I'll cancel", "never ordering again", "going elsewhere"
    public_complaint      0.50  bad review, posting on social media, lawyer, chargeback...
    waiting_time          0.40  "waiting for 3 weeks", "on hold for an hour", "no reply"
    shouting              0.30  ALL-CAPS words (0.45 when most of the message is caps)
    repeated_punctuation  0.25  "!!", "??", "?!"

The two intensifiers (shouting, repeated_punctuation) are not counted in a message VADER
reads as positive unless another signal fired ("THANK YOU SO MUCH!!" is not frustration).

Chinese. A text holding Han characters (intent.language.is_han) is also read in Chinese,
under the same signal names and weights, so callers need not know the language; text
without Han characters is scored exactly as before. Han characters separate words for
shouting ("我的SIM卡" holds the acronym SIM, not a capitalized word).

    repeat_contact        已经打了/说过/联系过..., 第三次了, 说了好几遍, 问了N次, 多少次, 又来了,
                          又是这样, 还是/依然/仍然 + 不/没 (还是不行, 依然没有; not 还是不要
                          "better not") or + a verb that fails (还是激活不了, 还是打不通),
                          没人管/理/处理; 又/再次/依然/仍然/上次 only next to
                          a complaint (不行, 坏了, 没收到, 问题...); 还是 alone is "or /
                          rather" (还是红色的好看)
    profanity             垃圾 (not 垃圾袋/桶/短信...), 坑爹, 妈的, 他妈, 卧槽, 我靠 / 靠 as
                          an interjection (not 靠谱), 什么破, 骗子, 傻逼, 混蛋, 王八蛋, 脑残...
    threat_to_leave       再这样/再不解决 ... 退订/退货/取消/不买/换别家/卸载/销户, 否则/不然
                          + 我 ... the same (not 要不然你帮我取消 "alternatively"), 再也不买,
                          不会再买, 换别家, 销户
    public_complaint      投诉, 12315, 消协, 曝光 (not a camera's 曝光过度...), 差评, 发微博 /
                          朋友圈 / 抖音 / 小红书, 找媒体 / 记者, 律师, 起诉, 法院, 打官司, 工商
    waiting_time          等了三天 / 一个小时 / 好久, 半天没人回, 一直没回复, 没有回复,
                          一个星期了还没, 要等多久
    repeated_punctuation  full-width too: "！！", "？？", "？！"

Chinese polarity. VADER does not read Chinese (it scores "太差了" 0), so `zh_valence`
sums the valences of the words of `ZH_LEXICON` found in the text (longest word first,
left to right, on VADER's -4..+4 scale; words valued 0 only shield others: 麻烦你 is
polite, 差不多 is "about", 不好意思 "excuse me"). A positive word right after a negation
(不/没/没有/未, optionally + 太/很/是很/怎么/够/算/大/那么) is scaled by -0.74 (VADER's
N_SCALAR: 不喜欢, 不太满意); a word right after an intensifier (太/很/非常/特别/超/真/好/
十分/极其/最/有点...) moves 0.293 further from 0 (VADER's B_INCR: 太差). The sum is added
to VADER's own (recovered from its compound) and normalized as VADER does,
x / sqrt(x^2 + 15): "太差了" -0.51, "谢谢" 0.36, "气死我了，太失望了" -0.81. So a
Chinese complaint feeds negative_tone and the label like an English one, and "谢谢！！"
reads positive, so its "！！" is not counted.

    negative    垃圾 -2.2, 骗子 -2.6, 坑 -1.8, 坑爹 -2.5, 坑人 -2.2, 差 -2.0, 差劲 -2.2,
                差评 -2.0, 不好 -1.9, 不太好 -1.5, 失望 -2.2, 生气 -2.0, 气死 -2.8,
                愤怒 -2.6, 无语 -1.8, 烦 -1.6, 烦死 -2.4, 太麻烦 -1.8, 很麻烦 -1.8,
                好麻烦 -1.8, 恶心 -2.4, 糟糕 -2.3, 不满 -1.8, 不满意 -2.0, 郁闷 -1.6,
                崩溃 -2.0, 离谱 -2.0, 过分 -1.8, 难用 -1.8, 后悔 -1.8, 受不了 -2.0,
                坏了 -1.5, 不耐烦 -1.5
    positive    好评 2.0, 满意 1.9, 谢谢 1.5, 多谢 1.5, 感谢 1.9, 太好了 2.4, 太好 2.0,
                很好 2.0, 真好 2.0, 挺好 1.8, 不错 1.6, 喜欢 2.0, 很棒 2.5, 太棒 2.5,
                真棒 2.5, 好棒 2.5, 完美 2.4, 开心 2.0, 高兴 2.0, 给力 1.8, 点赞 1.8,
                靠谱 1.6, 辛苦了 1.2
    0 (shield)  麻烦, 烦请, 烦劳, 不好意思, 好不好, 不好说, 满意度, 差不多, 差点, 差一点,
                差价, 差额, 差距, 差异, 差别, 差旅, 出差, 相差, 误差, 偏差, 时差, 温差,
                落差, 不差, 垃圾袋, 垃圾桶, 垃圾分类, 坑洼
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from intent.language import is_han

POSITIVE_THRESHOLD = 0.05  # VADER's own cut-offs for the label
NEGATIVE_THRESHOLD = -0.05
FRUSTRATED_IS_NEGATIVE = 0.5  # a message this frustrated is labelled negative whatever VADER says

NEGATIVE_TONE_WEIGHT = 0.7
SIGNAL_WEIGHTS: dict[str, float] = {
    "repeat_contact": 0.50,
    "profanity": 0.50,
    "threat_to_leave": 0.50,
    "public_complaint": 0.50,
    "waiting_time": 0.40,
    "shouting": 0.30,
    "repeated_punctuation": 0.25,
}
SHOUTING_WHOLE_MESSAGE_WEIGHT = 0.45


@dataclass(frozen=True, slots=True)
class Sentiment:
    compound: float  # VADER compound polarity, -1 (negative) .. 1 (positive)
    label: str  # "negative" / "neutral" / "positive"
    frustration: float  # 0 (calm) .. 1 (furious), see the module docstring
    signals: list[str] = field(default_factory=list)  # names of the signals that fired

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


_NUM = r"\d+|two|three|four|five|six|seven|eight|nine|ten|several|multiple|many|so many|a few"
_TRIED = (
    r"(?:called|phoned|rang|asked|told|emailed|wrote|written|tried|contacted|messaged|"
    r"complained|explained|restarted|reset|reinstalled|returned|sent|chatted)"
)
_ORDINAL = r"second|third|fourth|fifth|sixth|\d+(?:st|nd|rd|th)|umpteenth|hundredth"

_REPEAT_CONTACT = _rx(
    r"\balready\s+(?:\w+\s+)?(?:called|phoned|rang|told|contacted|asked|emailed|e-mailed|"
    r"written|wrote|explained|reported|sent|tried|messaged|chatted|spoke)",
    rf"\b(?:{_ORDINAL})\s+time\b",
    rf"\b{_TRIED}\s+(?:\w+\s+){{0,4}}(?:{_NUM})\s+times\b",  # "called you 5 times", not "15 times 37"
    r"\b(?:again\s+and\s+again|yet\s+again|over\s+and\s+over|every\s+(?:single\s+)?time)\b",
    r"\bhow\s+many\s+times\b",
    r"\bkeep\s+(?:asking|telling|calling|getting|saying|sending)\b",
    r"\b(?:nobody|no\s+one|no-one)\s+(?:\w+\s+)?(?:helps?|helped|answers?|answered|replies|"
    r"replied|responds?|responded|called|calls|got\s+back|gets\s+back|cares?|listens?|fixed)",
    r"\bstill\s+(?:not|no|nothing|waiting|broken|doesn'?t|don'?t|won'?t|can'?t|cannot|"
    r"isn'?t|hasn'?t|haven'?t|didn'?t)\b",
)
# Weak cues: only a sign of a repeat contact next to a complaint.
_REPEAT_WEAK = _rx(r"\b(?:still|again|yesterday|nobody|no\s+one|last\s+week)\b")
_COMPLAINT = _rx(
    r"\b(?:won'?t|wont|doesn'?t|does\s+not|didn'?t|did\s+not|can'?t|cannot|isn'?t|is\s+not|"
    r"hasn'?t|haven'?t|never|nothing|broken|wrong|useless)\b",
    r"\bnot\s+(?:working|arrived|received|delivered|fixed|resolved|sorted)\b",
    r"\b(?:fail(?:s|ed|ing|ure)?|error|problem|issue|complain\w*)\b",
    r"\bno\s+(?:reply|answer|response|help|signal|service)\b",
)
_PROFANITY = _rx(
    r"\bf[u*@#x]+c?k\w*",
    r"\bf\*+\w*",
    r"\b(?:shit\w*|sh\*t\w*|crap\w*|damn\w*|goddamn\w*|bloody|bullshit|bs|wtf|ffs|omfg|"
    r"hell|piss(?:ed)?|arse|ass|asshole\w*|bastards?|bitch\w*|sucks?|screw\s+(?:you|this))\b",
)
_THREAT_TO_LEAVE = _rx(
    r"\bor\s+(?:else\s+)?i(?:'?ll|\s+will|'?m\s+going\s+to|\s+am\s+going\s+to)\s+"
    r"(?:cancel|close|leave|switch|go|return|stop)",
    r"\b(?:i'?m|i\s+am)\s+(?:going\s+to\s+|gonna\s+)?(?:cancel\w*|leav\w*|switch\w*)\s+"
    r"(?:everything|all|my\s+account|my\s+subscription|to\b|for\s+good)",
    r"\b(?:never|not)\s+(?:going\s+to\s+|gonna\s+)?(?:buy\w*|order\w*|shop\w*|purchas\w*)\s+"
    r"(?:\w+\s+){0,3}(?:again|anymore|any\s+more)\b",
    r"\b(?:take|taking)\s+my\s+(?:business|money)\s+elsewhere\b",
    r"\b(?:go|going|switch\w*|move|moving)\s+to\s+(?:a\s+|your\s+)?competitors?\b",
    r"\b(?:i'?m|i\s+am)\s+done\s+with\s+(?:you|this|your)\b",
    r"\blast\s+time\s+i\s+(?:buy|order|shop)\b",
)
_PUBLIC_COMPLAINT = _rx(
    r"\b(?:post|write|leave|give)\w*\s+(?:you\s+)?(?:a\s+)?(?:bad|negative|terrible|awful|"
    r"1[- ]star|one[- ]star|honest)\s+review",
    r"\b(?:post|tweet|share|put|write|writ|complain|go|going)\w*\s+(?:\w+\s+){0,4}(?:on|to)\s+"
    r"(?:social\s+media|twitter|x|facebook|instagram|tiktok|trustpilot|reddit|yelp|the\s+press)\b",
    r"\bgo(?:ing)?\s+public\b",
    r"\btell\s+(?:everyone|everybody|all\s+my\s+friends)\b",
    r"\b(?:lawyer|attorney|sue|suing|legal\s+action|court|ombudsman|consumer\s+"
    r"(?:protection|rights|agency)|bbb|trading\s+standards)\b",
    r"\b(?:report(?:ing)?\s+you|chargeback|dispute\s+the\s+(?:charge|payment))\b",
)
_WAITING_TIME = _rx(
    rf"\bwait\w*\s+(?:for\s+)?(?:over\s+|more\s+than\s+|almost\s+)?(?:{_NUM}|an?)\s+"
    r"(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\b",
    r"\b(?:been|still|keep|kept)\s+waiting\b",
    r"\bon\s+hold\b",
    r"\b(?:take|takes|taking|took)\s+(?:so\s+)?(?:forever|ages|so\s+long)\b",
    r"\bfor\s+(?:ages|weeks|months|days\s+now|hours\s+now)\b",
    r"\bhow\s+(?:much\s+)?long(?:er)?\s+(?:do|will|must|should)\s+i\s+(?:have\s+to\s+)?wait\b",
    r"\b(?:no|never\s+(?:got|received|had)\s+an?)\s+(?:reply|answer|response|call\s+back)\b",
    r"\b(?:never|haven'?t|have\s+not)\s+heard\s+back\b",
)
_REPEATED_PUNCTUATION = re.compile(r"[!?！？]{2,}")
_WORD = re.compile(r"\b[^\W\d_]{2,}\b")
# Capitalised words that are names, not shouting.
_ACRONYMS = frozenset(
    {
        "SIM", "ESIM", "USB", "TV", "OK", "PIN", "ID", "FAQ", "USA", "UK", "EU", "EUR", "USD",
        "GBP", "LCD", "LED", "HDMI", "IMEI", "SMS", "PDF", "DHL", "UPS", "FEDEX", "USPS", "ORD",
        "INV", "VAT", "PS", "XL", "XXL", "XS", "GPS", "NFC", "SD", "SSD", "HDD", "RAM", "CPU",
        "GPU", "IOS", "PC", "MAC", "APP", "API", "URL", "QR", "CEO", "ETA", "ASAP",
    }
)  # fmt: skip


# --- Chinese (module docstring) --------------------------------------------------------------

_ZH_NUM = r"\d+|[一二两三四五六七八九十几半]+|好几|好多|无数"
_ZH_STOP = r"[^，。！？；,.!?;\s]"  # a character of the same clause
_ZH_CONTACT = (
    r"打|说|讲|问|联系|找|催|反映|反馈|投诉|发|留言|解释|告诉|试|申请|提交|输|填|重启|重装|重置"
)
_ZH_REPEAT_CONTACT = _rx(
    rf"已经{_ZH_STOP}{{0,6}}?(?:打过|打了|来电|说过|说了|讲过|讲了|问过|问了|联系过|联系了|"
    r"告诉过|告诉了|反映过|反映了|反馈过|反馈了|解释过|解释了|催过|催了|留言过|留言了|"
    r"投诉过|投诉了|发过(?:邮件|消息|短信)|发了(?:邮件|消息|短信)|试过|试了)",
    rf"第(?:[二三四五六七八九十几]+|\d+)次(?:了|{_ZH_CONTACT}|来|找)",
    rf"(?:{_ZH_CONTACT})了(?:{_ZH_NUM})(?:次|遍|回)",
    rf"(?:{_ZH_CONTACT})了?(?:多少|无数)(?:次|遍)|一遍又一遍|一次又一次|三番(?:五|两)次|反反复复",
    r"又来了|又是这样|又这样|又(?:不行|坏了|没|出(?:问题|错))",
    r"(?:还是|依然|依旧|仍然|仍旧)(?:不(?!要|用|如|必)|没|无法|未)",  # 还是不要: "better not"
    rf"(?:还是|依然|依旧|仍然|仍旧){_ZH_STOP}{{1,4}}?(?:不了|不上|不开|不通|不到|不动|不行)",
    r"(?:没人|没有人|无人)(?:管|理|处理|联系|跟进|解决)",
)
_ZH_REPEAT_WEAK = _rx(r"又|再次|依然|依旧|仍然|仍旧|上次")
_ZH_COMPLAINT = _rx(
    r"不行|不能|无法|不了|失败|错误|出错|报错|问题|故障|坏了|坏的|没用|没收到|没有收到|没到|"
    r"没反应|收不到|打不开|用不了|登不上|连不上|打不通|不到货"
)
_ZH_PROFANITY = _rx(
    r"垃圾(?!袋|桶|篓|箱|分类|短信|邮件|电话|清理|处理|车|站|场|堆|食品)",
    r"坑爹|(?<!妈)妈的|(?:他|你)妈(?!妈)|尼玛|妈蛋|卧槽|我操(?![作心办练控持劳])|我靠|草泥马|什么破|破玩意|骗子",
    r"傻逼|傻B|煞笔|混蛋|王八蛋|狗屎|脑残|智障|废物|滚蛋",
    r"(?:^|[，。！？；,.!?;\s])靠(?=[，。！？；,.!?;\s]|$)",
)
_ZH_LEAVE = (
    r"退订|退货|退款|退掉|取消|不买|不用|换(?:别家|其他家|别的平台|其他平台)|卸载|销户|注销|走人"
)
_ZH_THREAT_TO_LEAVE = _rx(
    rf"(?:再这样|再这么|再不(?:解决|处理|给|退|回|发|管)){_ZH_STOP}{{0,8}}?(?:{_ZH_LEAVE})",
    # 否则/不然 + 我: "要不然你帮我取消吧" ("alternatively, cancel it for me") is no threat
    rf"(?:否则|不然)(?:的话)?[，,]?\s*我{_ZH_STOP}{{0,6}}?(?:{_ZH_LEAVE})",
    r"再也不(?:会|想|敢)?(?:买|来|用|光顾|下单|选)",
    r"(?:永远|以后|今后)(?:都|也)?不(?:会)?再(?:买|来|用|光顾|下单|选)|不会再(?:买|来|光顾|下单|选)",
    r"换别家|去别家|换其他家",
    r"销户",
)
_ZH_PUBLIC_COMPLAINT = _rx(
    r"投诉|(?<!\d)12315(?!\d)|消协|消费者协会|差评|律师|起诉|法院|打官司|告你们|工商局|市场监管",
    r"(?<!长)(?<!自动)曝光(?!过度|不足|补偿|时间|度|模式|参数|值)",
    r"(?:发|上|挂|发到|发在|曝光到)(?:到)?(?:微博|朋友圈|抖音|小红书|网上)",
    r"(?:找|联系|告诉)(?:媒体|记者)|媒体曝光",
)
_ZH_DURATION = rf"(?:{_ZH_NUM})个?(?:多)?(?:分钟|小时|钟头|天|周|星期|礼拜|月)"
_ZH_WAITING_TIME = _rx(
    rf"等了(?:整整|快|将近|差不多|都|足足)?(?:{_ZH_DURATION}|半天|好久|很久|这么久|那么久)",
    r"等(?:得|了)?(?:这么|那么|太|好)久",
    r"半天(?:都|也)?(?:没|不)(?:有)?(?:人)?(?:回|理|处理|答复|反应|动静)",
    r"一直(?:都)?(?:没|不)(?:有)?(?:人)?(?:回复|回|答复|处理|消息|动静|发货)",
    r"没(?:有)?(?:人)?(?:回复|答复|回音|回应)",
    rf"{_ZH_DURATION}了?(?:都|还|也)(?:没|不|未)",
    r"(?:还要|要)等(?:多久|多长时间|到什么时候|几天)",
)
# (signal, English pattern, Chinese pattern); repeat_contact has its weak cues, so it is apart
_NAMED_SIGNALS = (
    ("profanity", _PROFANITY, _ZH_PROFANITY),
    ("threat_to_leave", _THREAT_TO_LEAVE, _ZH_THREAT_TO_LEAVE),
    ("public_complaint", _PUBLIC_COMPLAINT, _ZH_PUBLIC_COMPLAINT),
    ("waiting_time", _WAITING_TIME, _ZH_WAITING_TIME),
)

VADER_ALPHA = 15.0  # VADER's normalization: compound = x / sqrt(x^2 + alpha)
ZH_NEGATION_SCALAR = -0.74  # VADER's N_SCALAR
ZH_BOOSTER = 0.293  # VADER's B_INCR
ZH_LEXICON: dict[str, float] = {
    # negative
    "垃圾": -2.2, "骗子": -2.6, "坑": -1.8, "坑爹": -2.5, "坑人": -2.2, "差": -2.0, "差劲": -2.2,
    "差评": -2.0, "不好": -1.9, "不太好": -1.5, "失望": -2.2, "生气": -2.0, "气死": -2.8,
    "愤怒": -2.6, "无语": -1.8, "烦": -1.6, "烦死": -2.4, "太麻烦": -1.8, "很麻烦": -1.8,
    "好麻烦": -1.8, "恶心": -2.4, "糟糕": -2.3, "不满": -1.8, "不满意": -2.0, "郁闷": -1.6,
    "崩溃": -2.0, "离谱": -2.0, "过分": -1.8, "难用": -1.8, "后悔": -1.8, "受不了": -2.0,
    "坏了": -1.5, "不耐烦": -1.5,
    # positive
    "好评": 2.0, "满意": 1.9, "谢谢": 1.5, "多谢": 1.5, "感谢": 1.9, "太好了": 2.4, "太好": 2.0,
    "很好": 2.0, "真好": 2.0, "挺好": 1.8, "不错": 1.6, "喜欢": 2.0, "很棒": 2.5, "太棒": 2.5,
    "真棒": 2.5, "好棒": 2.5, "完美": 2.4, "开心": 2.0, "高兴": 2.0, "给力": 1.8, "点赞": 1.8,
    "靠谱": 1.6, "辛苦了": 1.2,
    # 0: shield a polite or neutral word from the words inside it
    "麻烦": 0.0, "烦请": 0.0, "烦劳": 0.0, "不好意思": 0.0, "好不好": 0.0, "不好说": 0.0,
    "满意度": 0.0, "差不多": 0.0, "差点": 0.0, "差一点": 0.0, "差价": 0.0, "差额": 0.0,
    "差距": 0.0, "差异": 0.0, "差别": 0.0, "差旅": 0.0, "出差": 0.0, "相差": 0.0, "误差": 0.0,
    "偏差": 0.0, "时差": 0.0, "温差": 0.0, "落差": 0.0, "不差": 0.0, "垃圾袋": 0.0,
    "垃圾桶": 0.0, "垃圾分类": 0.0, "坑洼": 0.0,
}  # fmt: skip
_ZH_WORDS = re.compile("|".join(map(re.escape, sorted(ZH_LEXICON, key=len, reverse=True))))
_ZH_NEGATED = re.compile(r"(?:不|没|没有|未)(?:太|很|是很|是太|怎么|够|算|大|那么)?$")
_ZH_BOOSTED = re.compile(r"(?:太|很|非常|特别|超|超级|真|真的|好|十分|极其|极|最|有点|有些|挺)$")


def zh_valence(text: str) -> float:
    """The summed valence of the Chinese words of `ZH_LEXICON` in `text` (VADER's scale)."""
    total = 0.0
    for m in _ZH_WORDS.finditer(text):
        valence = ZH_LEXICON[m.group()]
        before = text[max(0, m.start() - 3) : m.start()]
        if valence > 0 and _ZH_NEGATED.search(before):
            valence *= ZH_NEGATION_SCALAR
        elif valence and _ZH_BOOSTED.search(before):
            valence += ZH_BOOSTER if valence > 0 else -ZH_BOOSTER
        total += valence
    return total


def _with_chinese(compound: float, text: str) -> float:
    """VADER's compound with the Chinese valence added to VADER's own sum (recovered by
    inverting VADER's normalization), then normalized again."""
    extra = zh_valence(text)
    if not extra:
        return compound
    c = max(-0.9999, min(0.9999, compound))
    total = c * math.sqrt(VADER_ALPHA / (1.0 - c * c)) + extra
    return total / math.sqrt(total * total + VADER_ALPHA)


class SentimentAnalyzer:
    """Scores polarity with VADER and frustration with VADER + explicit signals."""

    def __init__(self) -> None:
        self._vader = SentimentIntensityAnalyzer()

    def analyze(self, text: str) -> Sentiment:
        compound = float(self._vader.polarity_scores(text)["compound"]) if text.strip() else 0.0
        chinese = any(map(is_han, text))
        if chinese:
            compound = _with_chinese(compound, text)
        weights = self._signals(text, compound, chinese=chinese)
        contributions = dict(weights)
        if compound <= NEGATIVE_THRESHOLD:
            contributions["negative_tone"] = NEGATIVE_TONE_WEIGHT * -compound
        calm = 1.0
        for w in contributions.values():
            calm *= 1.0 - w
        frustration = round(1.0 - calm, 4)
        if compound <= NEGATIVE_THRESHOLD or frustration >= FRUSTRATED_IS_NEGATIVE:
            label = "negative"
        elif compound >= POSITIVE_THRESHOLD:
            label = "positive"
        else:
            label = "neutral"
        return Sentiment(round(compound, 4), label, frustration, sorted(contributions))

    def analyze_many(self, texts: Iterable[str]) -> list[Sentiment]:
        return [self.analyze(t) for t in texts]

    @staticmethod
    def _signals(text: str, compound: float, *, chinese: bool = False) -> dict[str, float]:
        """{signal name: weight} of the explicit signals that fired; `chinese`: the text
        holds Han characters, so the Chinese patterns run too."""
        fired: dict[str, float] = {}
        complaint = bool(_COMPLAINT.search(text)) or compound <= NEGATIVE_THRESHOLD
        repeat, weak = bool(_REPEAT_CONTACT.search(text)), bool(_REPEAT_WEAK.search(text))
        if chinese:
            complaint = complaint or bool(_ZH_COMPLAINT.search(text))
            repeat = repeat or bool(_ZH_REPEAT_CONTACT.search(text))
            weak = weak or bool(_ZH_REPEAT_WEAK.search(text))
        if repeat or (complaint and weak):
            fired["repeat_contact"] = SIGNAL_WEIGHTS["repeat_contact"]
        for name, pattern, zh_pattern in _NAMED_SIGNALS:
            if pattern.search(text) or (chinese and zh_pattern.search(text)):
                fired[name] = SIGNAL_WEIGHTS[name]
        if compound < POSITIVE_THRESHOLD or fired:
            # Han characters split words here: "我的SIM卡" holds the acronym "SIM", not shouting
            latin = "".join(" " if is_han(ch) else ch for ch in text) if chinese else text
            words = _WORD.findall(latin)
            caps = [w for w in words if w.isupper() and len(w) >= 3 and w not in _ACRONYMS]
            if caps:
                upper = sum(w.isupper() for w in words)
                mostly = len(words) >= 3 and upper >= 0.6 * len(words)
                fired["shouting"] = (
                    SHOUTING_WHOLE_MESSAGE_WEIGHT if mostly else SIGNAL_WEIGHTS["shouting"]
                )
            if _REPEATED_PUNCTUATION.search(text):
                fired["repeated_punctuation"] = SIGNAL_WEIGHTS["repeated_punctuation"]
        return fired
