"""Python clients are checked the same way."""
import os

GATEWAY = os.environ.get("MDSP_GATEWAY", "https://gateway.eu1.mindsphere.io")


def weekly(asset_id: str) -> str:
    # mdsp/enum-value: the v4 unit is 'week', not 'weeks'
    return f"{GATEWAY}/api/iottsaggregates/v4/aggregates?assetId={asset_id}&aspectName=Flow&intervalUnit=weeks&intervalValue=1"
