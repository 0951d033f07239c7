"""The participant's own pages behind their secure link. They are public (no staff sign-in): a browser session that
passed a live link's second check reaches them, for that link's participant only, and nobody else does."""

_TESTED = "tested in tests/participation/test_pages.py"

ENDPOINTS = ()

PUBLIC = {
    f"participation:{name}": f"public: {why}, {_TESTED}"
    for name, why in (
        ("home", "the participant's own page, through their secure link"),
        ("leave", "ends the participant's secure-link session"),
        ("left", "says the participant has left; shows nothing of anyone's"),
        ("consent", "the participant's own consent, through their secure link"),
        ("withdraw", "the participant withdraws their own consent, through their secure link"),
        ("withdrawn", "confirms the participant's own withdrawal, through their secure link"),
        ("messages", "messages passed on to the participant, through their secure link"),
        ("message", "one message passed on to the participant, through their secure link"),
        ("message_file", "a file of a message passed on to the participant, through their secure link"),
        ("reply", "the participant replies to a message passed on to them, through their secure link"),
        ("write", "the participant writes a new letter, through their secure link"),
        ("meeting", "the participant's own meeting times, through their secure link"),
        ("meeting_invitation", "the participant's own calendar invitation, through their secure link"),
        ("survey", "the participant's own feedback survey, through their secure link"),
        ("survey_sent", "thanks the participant for their survey, through their secure link"),
    )
}
