import pytest

from replydesk.campaigns import UNASSIGNED, Campaign, CampaignDirectory, CampaignFileError, parse_campaigns

DIRECTORY = CampaignDirectory(
    (
        Campaign("ccm", "Cluster munitions", ("replies+ccm@campaign.example",), ("cluster munitions",)),
        Campaign("att", "Arms trade treaty", ("att@campaign.example",), ("arms trade",)),
    )
)


def test_exact_address_including_plus_tag_wins() -> None:
    assert DIRECTORY.assign(["Replies+CCM@Campaign.example"], "Re: arms trade") == "ccm"
    assert DIRECTORY.assign(["att@campaign.example"]) == "att"


def test_subject_keyword_is_the_fallback_and_unknown_is_unassigned() -> None:
    assert DIRECTORY.assign(["other@campaign.example"], "RE: Cluster Munitions convention") == "ccm"
    assert DIRECTORY.assign(["other@campaign.example"], "Hello") == UNASSIGNED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "'campaigns' list"),
        ({"campaigns": [{"id": "Bad Id", "name": "x", "addresses": ["a@b.example"]}]}, "must be lower-case"),
        ({"campaigns": [{"id": "a", "addresses": ["a@b.example"]}]}, "a name is required"),
        ({"campaigns": [{"id": "a", "name": "A", "addresses": ["nope"]}]}, "not an email address"),
        ({"campaigns": [{"id": "a", "name": "A"}]}, "at least one address"),
        (
            {
                "campaigns": [
                    {"id": "a", "name": "A", "addresses": ["x@y.example"]},
                    {"id": "b", "name": "B", "addresses": ["x@y.example"]},
                ]
            },
            "already belongs to a",
        ),
        ({"campaigns": [{"id": "unassigned", "name": "A", "addresses": ["x@y.example"]}]}, "must be"),
    ],
)
def test_invalid_campaign_files_say_what_is_wrong(data: object, message: str) -> None:
    with pytest.raises(CampaignFileError, match=message):
        parse_campaigns(data, "campaigns.yaml")
