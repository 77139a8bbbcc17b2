"""Search and recommendation over the public catalogue and policy library (智能搜索推荐).

Only public items (published, proactive) are ever in the index: ``indexing`` writes an
entry for an item exactly while ``InfoItem.is_public`` holds, so nothing withheld, drafted
or withdrawn can match, be counted in a facet or be highlighted.
"""
