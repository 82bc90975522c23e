"""What an article says a named person is: the title before the name and the appositive after it.

"Republican presidential nominee Donald Trump", "Vipin Narang, a nuclear affairs expert at
MIT, added", "Sen. Lindsey Graham (R-S.C.)", "the Democratic nominee, Hillary Clinton": news
English introduces people with the words that tell an analyst what kind of source they are.
Quotes carry such a description when the article gives it at the quote; a person quoted as
"he" or "Lynch" is often described only where the article first names them. Kept with every
PERSON mention at ingest (`EntityMention.descriptor`), these phrases let the role rules
(`analysis.roles`) see what the whole coverage says about a speaker.

Three shapes, read from the parse already made at ingest:

* the words just before the name that belong to its noun phrase: nouns, adjectives, proper
  nouns, "of" and a possessive ("Secretary of State", "Clinton's campaign chairman"), stopping
  at a verb, a determiner, a preposition other than "of", a conjunction or punctuation;
* an appositive after the name, set off by a comma and starting with a determiner or a
  possessive ("Narang, a nuclear affairs expert at MIT,"), up to the next comma; a "(R-S.C.)"
  party tag right after the name;
* the name as the appositive of a noun before it ("the Democratic nominee, Hillary Clinton");
* the age and home town news gives ordinary people ("Jane Doe, 59, of Ashton, Md., said"), a
  relative clause that says what the person does or did ("John Doe, who heads the Center for
  ..., said"), and the body named right after the name ("Jane Doe at the National Review"): the
  role rules read them all.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from analysis.quotes.lexicon import person_noun

MAX_TITLE_TOKENS = 8
MAX_APPOSITIVE_TOKENS = 18
_TITLE_POS = frozenset({"NOUN", "PROPN", "ADJ", "NUM"})
_PARTY_TAG = re.compile(r"\s*\(\s*[A-Z]-[A-Za-z. ]{2,12}\)")
_APPOSITIVE_START = frozenset({"a", "an", "the", "his", "her", "their", "its", "one", "another", "now", "then",
                               "former", "also"})


def describe(doc: Doc, ent: Span, text: str | None = None) -> str | None:
    """The phrases the sentence uses to say who the person named by `ent` is, "; "-joined.

    `text` is the doc's text, given by callers that describe many entities of one doc
    (`Doc.text` is rebuilt from the tokens at every access)."""
    text = doc.text if text is None else text
    line_start = text.rfind("\n", 0, ent.start_char) + 1
    if "/" in text[line_start:ent.start_char]:
        return None  # a photo caption after its credit ("Jane Roe / The Daily Planet John Doe follows ...")
    parts = [p for p in (_title_before(doc, ent), _party_tag(text, ent), _appositive_after(doc, ent),
                         _appositive_of(doc, ent), _fronted_noun_phrase(doc, ent), _writing_for(doc, ent),
                         _age_or_home(doc, ent), _relative_clause(doc, ent), _affiliation_after(doc, ent)) if p]
    if not parts:
        parts = [p for p in (_title_in_sentence_before(doc, ent),) if p]
    return "; ".join(dict.fromkeys(parts)) or None


_WRITING = frozenset({"writing", "reporting", "blogging"})
# What may stand before a clause that opens a sentence the parser ran on from the last one.
_CLAUSE_BREAK = frozenset({".", ":", "—", "–", ";"})


def _opens(doc: Doc, i: int) -> bool:
    """Token `i` starts a sentence or a line (the parser joins headlines, datelines and tweets to
    the sentence after them)."""
    if i == 0 or doc[i].sent.start == i:
        return True
    before = doc[i - 1]
    return before.text in _CLAUSE_BREAK or (before.is_space and "\n" in before.text)


def _clause_start(doc: Doc, ent: Span) -> int:
    """Where the line or sentence holding `ent` starts: after the last break before it."""
    start = ent.sent.start
    for i in range(ent.sent.start, ent.start):
        tok = doc[i]
        if tok.text in _CLAUSE_BREAK or (tok.is_space and "\n" in tok.text):
            start = i + 1
    return start


def _writing_for(doc: Doc, ent: Span) -> str | None:
    """"writer for a Sunday paper" from "Writing for a Sunday paper, Jane Doe argued ...": a
    sentence that opens with the outlet the subject writes for."""
    if doc[ent.start - 1].text != "," or ent.root.dep_ not in ("nsubj", "nsubjpass"):
        return None
    first = next((t for t in reversed(doc[max(ent.sent.start, ent.start - MAX_APPOSITIVE_TOKENS):ent.start - 1])
                  if t.lower_ in _WRITING and _opens(doc, t.i)), None)
    if first is None or first.i + 2 >= ent.start - 1 or doc[first.i + 1].lower_ not in ("for", "in", "on"):
        return None
    noun = {"writing": "writer", "reporting": "reporter", "blogging": "blogger"}[first.lower_]
    return f"{noun} {doc[first.i + 1].lower_} " + _text(doc, first.i + 2, ent.start - 1)


def _title_in_sentence_before(doc: Doc, ent: Span) -> str | None:
    """"The county's tax commissioner" from "The county's tax commissioner says no one leaked the
    file. Jane Doe says she asked her staff to check.": news names a source by title in one
    sentence and by name, first named, as the subject of the next. The title is the subject
    that opens the sentence before, a noun with a modifier ("the commissioner" alone may be
    someone named earlier) and no name in it; the person, the subject of the main verb, has no
    description of their own. The noun is one for a person (`quotes.lexicon.person_noun`: "the
    city's new budget" is none); what role it says is for the role rules."""
    sent = ent.sent
    if ent.label_ != "PERSON" or ent.root.dep_ not in ("nsubj", "nsubjpass") or ent.root.head.dep_ != "ROOT" \
            or sent.start == 0:
        return None
    last = ent[-1].text
    if any(t.text == last for t in doc[:ent.start]):
        return None  # named before: the title next to the first mention, if any, is the one
    before = doc[sent.start - 1].sent
    subject = next((t for t in reversed(before) if t.dep_ in ("nsubj", "nsubjpass") and t.head.pos_ == "VERB"
                    and t.pos_ == "NOUN" and _opens(doc, t.left_edge.i)), None)
    if subject is None or subject.ent_type_ or not person_noun(subject):
        return None  # "the average of polls shows ...", "our identities are ...": no person
    span = doc[subject.left_edge.i:subject.right_edge.i + 1]
    if any(t.ent_type_ == "PERSON" for t in span) or len(span) > MAX_APPOSITIVE_TOKENS:
        return None
    modified = any(c.dep_ in ("poss", "compound", "amod", "prep") for c in subject.children)
    definite = any(c.dep_ in ("det", "poss") for c in subject.children) or span[0].pos_ == "PROPN"
    if not (modified and definite):
        return None
    return _text(doc, span.start, span.end)


def _title_before(doc: Doc, ent: Span) -> str | None:
    """"Republican presidential nominee" in "… Republican presidential nominee Donald Trump"."""
    sent_start = ent.sent.start
    i = ent.start - 1
    start = ent.start
    while i >= sent_start and ent.start - i <= MAX_TITLE_TOKENS:
        tok = doc[i]
        if _title_token(tok):
            start = i
        elif tok.lower_ == "of" and i - 1 >= sent_start and _title_token(doc[i - 1]) and start < ent.start:
            start = i  # "Secretary of State", "chief of staff"
        elif tok.lower_ == "the" and start == i + 1 and i - 2 >= sent_start and doc[i - 1].lower_ == "of" \
                and _title_token(doc[i - 2]) and doc[i + 1].is_title:
            start = i  # "Speaker of the House", "Secretary of the Navy": an office named after its body
        elif tok.tag_ == "POS" and i - 1 >= sent_start and doc[i - 1].pos_ == "PROPN":
            start = i  # "Clinton's campaign chairman"
        else:
            break
        i -= 1
    if start == ent.start:
        return None
    return _text(doc, start, ent.start)


def _title_token(tok: Token) -> bool:
    if tok.pos_ not in _TITLE_POS and not (tok.is_title and tok.text.endswith(".")):
        return False
    return not tok.is_punct and not tok.like_num and tok.ent_type_ not in ("DATE", "TIME", "CARDINAL", "ORDINAL")


def _party_tag(text: str, ent: Span) -> str | None:
    m = _PARTY_TAG.match(text, ent.end_char)
    return m.group(0).strip() if m else None


def _appositive_after(doc: Doc, ent: Span) -> str | None:
    """"a nuclear affairs expert at MIT" in "Vipin Narang, a nuclear affairs expert at MIT, added"."""
    i = ent.end
    if i + 1 >= len(doc) or doc[i].text != "," or doc[i + 1].lower_ not in _APPOSITIVE_START:
        return None
    start = i + 1
    end = start
    limit = min(len(doc), start + MAX_APPOSITIVE_TOKENS, ent.sent.end)
    while end < limit and doc[end].text not in (",", ";", ".", ":", "(", ")", "—", "–", '"', "“", "”") \
            and not doc[end].is_space:
        end += 1
    if end == limit and limit < ent.sent.end:
        return None  # ran past the limit: a clause, not an appositive
    if end - start < 2 or not any(t.pos_ == "NOUN" for t in doc[start:end]):
        return None
    return _text(doc, start, end)


def _appositive_of(doc: Doc, ent: Span) -> str | None:
    """"the Democratic nominee" in "the Democratic nominee, Hillary Clinton, said"."""
    root = ent.root
    if root.dep_ == "conj" and root.head.dep_ == "appos" and root.head.i < ent.start:
        root = root.head  # "two voters, Jane Roe and John Doe, who ...": both are the voters
    head = root.head
    while head.pos_ == "PROPN" and head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.head.pos_ == "NOUN":
        # "His former business partner at Acme, John Doe": the parser hangs the name on the
        # body named last; the person is the noun that body belongs to.
        head = head.head.head
    partitive = head.pos_ in ("NUM", "PRON") and head.lower_ in ("one", "another", "some") and any(
        c.dep_ == "prep" and c.lower_ == "of" for c in head.children)  # "one of the family's lawyers, John Doe"
    if root.dep_ != "appos" or head.i >= ent.start or not (head.pos_ == "NOUN" or partitive) \
            or head.sent.start != ent.sent.start:
        return None
    start = head.left_edge.i
    if ent.start - start > MAX_APPOSITIVE_TOKENS:
        return None
    end = min(ent.start, root.left_edge.i)  # "A lawyer for the news outlets, Jane Doe": the phrase up to the name
    while end > head.i + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    while start < head.i and doc[start].is_punct:
        start += 1
    return _text(doc, start, end)


def _fronted_noun_phrase(doc: Doc, ent: Span) -> str | None:
    """"A veteran of three campaigns" in "A veteran of three campaigns, Jane Doe said …": a noun
    phrase that opens the sentence and is set off by a comma before its subject, the name.
    ("As a young lawyer, Jane Doe …" opens with a preposition: a past, not what she is.)"""
    if ent.start < 2 or doc[ent.start - 1].text != "," or ent.root.dep_ not in ("nsubj", "nsubjpass"):
        return None
    start = _clause_start(doc, ent)
    while start < ent.start and (doc[start].pos_ == "ADV" or doc[start].is_punct or doc[start].is_space):
        start += 1  # "Now the highest-ranking …"
    head = next((t for t in doc[start:ent.start - 1] if t.head.i >= ent.start - 1 and t.pos_ == "NOUN"), None)
    if head is None or head.left_edge.i != start or head.right_edge.i != ent.start - 2 or head.tag_ == "NNS":
        return None  # "These employees, Doe explained, were ...": a plural is not the one person named
    if head.head != ent.root.head or ent.start - 1 - start > MAX_APPOSITIVE_TOKENS:
        return None
    if any(t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound") for t in doc[start:ent.start - 1]):
        return None
    return _text(doc, start, ent.start - 1)


_AFFILIATION_PREPS = frozenset({"at", "of", "with", "from"})


def _affiliation_after(doc: Doc, ent: Span) -> str | None:
    """"at the National Review" in "Jane Doe at the National Review agreed": where the person works."""
    i = ent.end
    if i + 1 >= len(doc) or doc[i].lower_ not in _AFFILIATION_PREPS:
        return None
    j = i + 1
    if doc[j].lower_ == "the":
        j += 1
    end = j
    while end < min(len(doc), ent.sent.end) and (doc[end].pos_ == "PROPN" or doc[end].lower_ in ("of", "for", "&")):
        end += 1
    while end > j and doc[end - 1].lower_ in ("of", "for", "&"):
        end -= 1
    return _text(doc, i, end) if end > j else None


def _age_or_home(doc: Doc, ent: Span) -> str | None:
    """"59, of Ashton, Md." in "Jane Doe, 59, of Ashton, Md., said": how news introduces a resident."""
    i = ent.end
    if i + 1 >= len(doc) or doc[i].text != ",":
        return None
    first = doc[i + 1]
    age = first.like_num and first.text.isdigit() and len(first.text) <= 3
    home = first.lower_ == "of" and i + 2 < len(doc) and doc[i + 2].pos_ == "PROPN"
    if not (age or home):
        return None
    end = i + 1
    limit = min(len(doc), ent.sent.end, i + 1 + MAX_TITLE_TOKENS)
    while end < limit and doc[end].lower_ not in ("who", "whose", "said", "says") and doc[end].pos_ not in ("VERB", "AUX") \
            and doc[end].text not in (".", ";", ":", "(", '"', "“", "”"):
        end += 1
    text = _text(doc, i + 1, end).rstrip(" ,")
    return text or None


def _relative_clause(doc: Doc, ent: Span) -> str | None:
    """"who heads the Center for ..." in "John Doe, who heads the Center for ..., said"."""
    i = ent.end
    if i + 1 >= len(doc) or doc[i].text != "," or doc[i + 1].lower_ != "who":
        return None
    end = i + 2
    limit = min(len(doc), ent.sent.end, i + 1 + MAX_APPOSITIVE_TOKENS)
    while end < limit and doc[end].text not in (",", ";", ".", ":", "(", ")", "—", "–", '"', "“", "”"):
        end += 1
    return _text(doc, i + 1, end) if end - i > 3 else None


def _text(doc: Doc, start: int, end: int) -> str:
    return " ".join(doc[start:end].text.split())
