"""The article reader's style: quotes highlighted, entities underlined by type (shared by pages)."""

READER_CSS = """<style>
.reader { font-family: Georgia, serif; font-size: 1.08rem; line-height: 1.65; max-width: 62rem; }
.reader mark.quote { background: #fff1a8; padding: 0 2px; border-radius: 3px; cursor: help; }
.reader span.ent { border-bottom: 2px solid #9ecae1; cursor: help; }
.reader span.ent-person { border-bottom-color: #e6550d; }
.reader span.ent-org { border-bottom-color: #31a354; }
.reader span.ent-gpe, .reader span.ent-loc { border-bottom-color: #3182bd; }
.reader span.ent-norp { border-bottom-color: #756bb1; }
.legend span, .legend mark { margin-right: 0.8rem; }
</style>"""

LEGEND = ('<div class="reader legend"><mark class="quote">quote</mark> '
          '<span class="ent ent-person">person</span> <span class="ent ent-org">organisation</span> '
          '<span class="ent ent-gpe">place</span> <span class="ent ent-norp">group</span> '
          '<span class="ent">other entity</span> — hover for the speaker or the entity</div>')
