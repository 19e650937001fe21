<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>About</name>
    <message>
        <source>no database open (this version writes schema {latest})</source>
        <translation>未打开数据库（本版本使用结构版本 {latest}）</translation>
    </message>
    <message>
        <source>{found} (this version writes schema {latest})</source>
        <translation>{found}（本版本使用结构版本 {latest}）</translation>
    </message>
    <message>
        <source>About shop-desk</source>
        <translation>关于 shop-desk</translation>
    </message>
    <message>
        <source>The after-sales service desk of {shop}.</source>
        <translation>{shop}的售后服务系统。</translation>
    </message>
    <message>
        <source>Database schema:</source>
        <translation>数据库结构版本：</translation>
    </message>
    <message>
        <source>shop-desk is proprietary software. It ships with these components, each under its own licence:</source>
        <translation>shop-desk 为专有软件。随附以下组件，各自遵循其许可证：</translation>
    </message>
    <message>
        <source>Components</source>
        <translation>组件</translation>
    </message>
    <message>
        <source>Font licence (WenQuanYi)</source>
        <translation>字体许可证（文泉驿）</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>Admin</name>
    <message>
        <source>Unknown role.</source>
        <translation>未知角色。</translation>
    </message>
    <message>
        <source>Give the staff member at least one role.</source>
        <translation>请至少为员工分配一个角色。</translation>
    </message>
    <message>
        <source>Staff accounts exist already; sign in as an administrator.</source>
        <translation>已有员工账号，请以管理员身份登录。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>登录名</translation>
    </message>
    <message>
        <source>The login {login} is taken.</source>
        <translation>登录名 {login} 已被使用。</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>员工</translation>
    </message>
    <message>
        <source>You cannot deactivate your own account.</source>
        <translation>不能停用自己的账号。</translation>
    </message>
    <message>
        <source>You cannot remove your own administrator role.</source>
        <translation>不能移除自己的管理员角色。</translation>
    </message>
    <message>
        <source>Unknown setting {key}.</source>
        <translation>未知设置项 {key}。</translation>
    </message>
    <message>
        <source>Times are written HH:MM.</source>
        <translation>时间格式为 时:分（HH:MM）。</translation>
    </message>
    <message>
        <source>The logo must be an image file.</source>
        <translation>标志必须是图片文件。</translation>
    </message>
    <message>
        <source>Team name</source>
        <translation>班组名称</translation>
    </message>
    <message>
        <source>Capacity (hours per day)</source>
        <translation>产能（每天工时）</translation>
    </message>
    <message>
        <source>A team called {name} exists already.</source>
        <translation>班组 {name} 已存在。</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>班组</translation>
    </message>
    <message>
        <source>Follow-up call within (days)</source>
        <extracomment>Whole-number settings with a narrower range than 0–10,000,000: the first follow-up call comes within the rulebook's 3 days (回访 within 3 days), and a few tries are enough.</extracomment>
        <translation>回访期限（天）</translation>
    </message>
    <message>
        <source>Follow-up call attempts</source>
        <translation>回访拨打次数</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>Team leader</source>
        <translation>班组长</translation>
    </message>
    <message>
        <source>Skill</source>
        <translation>技能</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Standard hours</source>
        <translation>标准工时</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Part number</source>
        <translation>配件编号</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Bin location</source>
        <translation>库位</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>The CSV file could not be read as text.</source>
        <translation>无法将该CSV文件读取为文本。</translation>
    </message>
    <message>
        <source>The CSV file lacks the columns: {cols}.</source>
        <translation>CSV 文件缺少以下列：{cols}。</translation>
    </message>
    <message>
        <source>Line {n}: more values than the header has columns.</source>
        <translation>第{n}行：数值个数多于表头的列数。</translation>
    </message>
    <message>
        <source>Line {n}: the CSV file is malformed ({error}).</source>
        <translation>第{n}行：CSV文件格式错误（{error}）。</translation>
    </message>
    <message>
        <source>Line {n}: {error}</source>
        <translation>第 {n} 行：{error}</translation>
    </message>
</context>
<context>
    <name>AdminPages</name>
    <message>
        <source>General</source>
        <translation>通用</translation>
    </message>
    <message>
        <source>Wear part</source>
        <translation>易损件</translation>
    </message>
    <message>
        <source>Accessory</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Maintenance</source>
        <translation>保养</translation>
    </message>
    <message>
        <source>Body and paint</source>
        <translation>钣金喷漆</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Locked until {time}</source>
        <translation>锁定至 {time}</translation>
    </message>
    <message>
        <source>Insurer</source>
        <translation>保险公司</translation>
    </message>
    <message>
        <source>New insurer</source>
        <translation>新建保险公司</translation>
    </message>
    <message>
        <source>Contact (person, phone)</source>
        <translation>联系人、电话</translation>
    </message>
    <message>
        <source>Active (offered at reception)</source>
        <translation>启用（接车时可选）</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>在用</translation>
    </message>
    <message>
        <source>&amp;New insurer…</source>
        <translation>新建保险公司(&amp;N)…</translation>
    </message>
    <message>
        <source>Mechanical</source>
        <extracomment>The skills every shop has, in this order; a shop's own skills follow.</extracomment>
        <translation>机修</translation>
    </message>
    <message>
        <source>Electrical</source>
        <translation>电工</translation>
    </message>
    <message>
        <source>Chassis</source>
        <translation>底盘</translation>
    </message>
    <message>
        <source>Filter…</source>
        <translation>筛选…</translation>
    </message>
    <message>
        <source>Your roles do not allow this.</source>
        <translation>您的角色无权执行此操作。</translation>
    </message>
    <message>
        <source>{n} entries</source>
        <translation>共 {n} 条</translation>
    </message>
    <message>
        <source>{shown} of {n} entries</source>
        <translation>显示 {shown} 条，共 {n} 条</translation>
    </message>
    <message>
        <source>Nothing changed.</source>
        <translation>没有修改。</translation>
    </message>
    <message>
        <source>Settings saved.</source>
        <translation>设置已保存。</translation>
    </message>
    <message>
        <source>Choose the shop logo</source>
        <translation>选择店铺标志</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.bmp)</translation>
    </message>
    <message>
        <source>{name} is not an image shop-desk can read.</source>
        <translation>{name} 不是 shop-desk 能读取的图片。</translation>
    </message>
    <message>
        <source>No logo</source>
        <translation>无标志</translation>
    </message>
    <message>
        <source>Edit staff member</source>
        <translation>编辑员工</translation>
    </message>
    <message>
        <source>New staff member</source>
        <translation>新建员工</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>登录名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Repeat PIN</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>at least 4 characters</source>
        <translation>至少 4 个字符</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>The two PINs differ. Type the same PIN twice.</source>
        <translation>两次输入的密码不一致，请输入相同的密码。</translation>
    </message>
    <message>
        <source>Reset PIN of {name}</source>
        <translation>重置 {name} 的密码</translation>
    </message>
    <message>
        <source>Set new PIN</source>
        <translation>设置新密码</translation>
    </message>
    <message>
        <source>The new PIN replaces the old one at once and lifts a lock after wrong PINs.</source>
        <translation>新密码立即替换旧密码，并解除因密码错误造成的锁定。</translation>
    </message>
    <message>
        <source>New PIN</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Show inactive</source>
        <translation>显示已停用</translation>
    </message>
    <message>
        <source>&amp;New staff member…</source>
        <translation>新建员工(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>编辑(&amp;E)…</translation>
    </message>
    <message>
        <source>Reset &amp;PIN…</source>
        <translation>重置密码(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Certifications…</source>
        <translation>上岗培训(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Deactivate</source>
        <translation>停用(&amp;D)</translation>
    </message>
    <message>
        <source>Re&amp;activate</source>
        <translation>重新启用(&amp;A)</translation>
    </message>
    <message>
        <source>{name} can now sign in.</source>
        <translation>{name} 现在可以登录了。</translation>
    </message>
    <message>
        <source>{name} saved.</source>
        <translation>{name} 已保存。</translation>
    </message>
    <message>
        <source>New PIN set for {name}.</source>
        <translation>已为 {name} 设置新密码。</translation>
    </message>
    <message>
        <source>{name} is active again and can sign in.</source>
        <translation>{name} 已重新启用，可以登录。</translation>
    </message>
    <message>
        <source>{name} is deactivated and can no longer sign in.</source>
        <translation>{name} 已停用，不能再登录。</translation>
    </message>
    <message>
        <source>Edit team</source>
        <translation>编辑班组</translation>
    </message>
    <message>
        <source>New team</source>
        <translation>新建班组</translation>
    </message>
    <message>
        <source>Team name</source>
        <translation>班组名称</translation>
    </message>
    <message>
        <source>Capacity (hours per day)</source>
        <translation>产能（每天工时）</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>Team leader</source>
        <translation>班组长</translation>
    </message>
    <message>
        <source>Another skill</source>
        <translation>其他技能</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Skills</source>
        <translation>技能</translation>
    </message>
    <message>
        <source>(no leader)</source>
        <translation>（无班组长）</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>班组</translation>
    </message>
    <message>
        <source>&amp;New team…</source>
        <translation>新建班组(&amp;N)…</translation>
    </message>
    <message>
        <source>Team {name} saved.</source>
        <translation>班组 {name} 已保存。</translation>
    </message>
    <message>
        <source>Edit labour operation</source>
        <translation>编辑工时项目</translation>
    </message>
    <message>
        <source>New labour operation</source>
        <translation>新建工时项目</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Operation name</source>
        <translation>项目名称</translation>
    </message>
    <message>
        <source>Standard hours</source>
        <translation>标准工时</translation>
    </message>
    <message>
        <source>Skill</source>
        <translation>技能</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>在用</translation>
    </message>
    <message>
        <source>offered when adding work</source>
        <translation>添加维修项目时可选</translation>
    </message>
    <message>
        <source>Edit part</source>
        <translation>编辑配件</translation>
    </message>
    <message>
        <source>New part</source>
        <translation>新建配件</translation>
    </message>
    <message>
        <source>Part number</source>
        <translation>配件编号</translation>
    </message>
    <message>
        <source>Part name</source>
        <translation>配件名称</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Unit price (¥, tax included)</source>
        <translation>单价（元，含税）</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Bin location</source>
        <translation>库位</translation>
    </message>
    <message>
        <source>offered when adding parts</source>
        <translation>添加配件时可选</translation>
    </message>
    <message>
        <source>pc</source>
        <translation>个</translation>
    </message>
    <message>
        <source>&amp;New…</source>
        <translation>新建(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Import CSV…</source>
        <translation>导入 CSV(&amp;I)…</translation>
    </message>
    <message>
        <source>{item} saved.</source>
        <translation>{item} 已保存。</translation>
    </message>
    <message>
        <source>Import CSV file</source>
        <translation>导入 CSV 文件</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 文件 (*.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>{name} cannot be read: {error}</source>
        <translation>无法读取 {name}：{error}</translation>
    </message>
    <message>
        <source>{name}: {n} rows. {existing} of them are already in the catalogue and will be overwritten with the values from the file. This cannot be undone.</source>
        <translation>{name}：共 {n} 行，其中 {existing} 条已在目录中，将被文件中的数据覆盖。此操作无法撤销。</translation>
    </message>
    <message>
        <source>Import and overwrite</source>
        <translation>导入并覆盖</translation>
    </message>
    <message>
        <source>{name} was not imported; nothing was changed. {error}</source>
        <translation>{name} 未导入，数据没有任何改动。{error}</translation>
    </message>
    <message>
        <source>{n} rows imported from {name}.</source>
        <translation>已从 {name} 导入 {n} 行。</translation>
    </message>
    <message>
        <source>Columns: code, name, standard_hours; optional: skill, category. UTF-8 or GBK.</source>
        <translation>列：code、name、standard_hours；可选：skill、category。编码 UTF-8 或 GBK。</translation>
    </message>
    <message>
        <source>Unit price (¥)</source>
        <translation>单价（元）</translation>
    </message>
    <message>
        <source>Reserved</source>
        <translation>已预留</translation>
    </message>
    <message>
        <source>Columns: part_no, name, unit_price; optional: stock_qty, bin_location, category, unit. UTF-8 or GBK.</source>
        <translation>列：part_no、name、unit_price；可选：stock_qty、bin_location、category、unit。编码 UTF-8 或 GBK。</translation>
    </message>
    <message>
        <source>Shop settings</source>
        <translation>店铺设置</translation>
    </message>
    <message>
        <source>Staff and roles</source>
        <translation>员工与角色</translation>
    </message>
    <message>
        <source>Teams</source>
        <translation>班组</translation>
    </message>
    <message>
        <source>Labour operations</source>
        <translation>工时项目</translation>
    </message>
    <message>
        <source>Parts</source>
        <translation>配件</translation>
    </message>
    <message>
        <source>Counter warranty</source>
        <translation>零售保修政策</translation>
    </message>
    <message>
        <source>Insurers</source>
        <translation>保险公司</translation>
    </message>
    <message>
        <source>Warranty terms</source>
        <translation>质量担保政策</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>系统管理</translation>
    </message>
    <message>
        <source>Exclude a part from the warranty</source>
        <translation>将部件列为不保修</translation>
    </message>
    <message>
        <source>Exclude</source>
        <translation>不予保修</translation>
    </message>
    <message>
        <source>e.g. 外壳 housing</source>
        <translation>例如：外壳</translation>
    </message>
    <message>
        <source>Part not covered</source>
        <translation>不保修部件</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>添加时间</translation>
    </message>
    <message>
        <source>Added by</source>
        <translation>添加人</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>移除时间</translation>
    </message>
    <message>
        <source>Removed by</source>
        <translation>移除人</translation>
    </message>
    <message>
        <source>Exclude a part…</source>
        <translation>添加不保修部件…</translation>
    </message>
    <message>
        <source>Cover it again</source>
        <translation>恢复保修</translation>
    </message>
    <message>
        <source>Product warranty (days)</source>
        <translation>产品保修期（天）</translation>
    </message>
    <message>
        <source>Accessory warranty (days)</source>
        <translation>附件保修期（天）</translation>
    </message>
    <message>
        <source>Exchange within (days)</source>
        <translation>可调换期（天）</translation>
    </message>
    <message>
        <source>Replacement within (days)</source>
        <translation>换新期限（天）</translation>
    </message>
    <message>
        <source>Save the periods</source>
        <translation>保存期限</translation>
    </message>
    <message>
        <source>Warranty of what the counter sells: products {product}, accessories {accessory}; exchange within {exchange} days; a replacement goes out within {days} days of receipt. Gifts are not covered.</source>
        <translation>配件零售的保修：产品 {product}，附件 {accessory}；{exchange} 天内可调换；收到问题产品后 {days} 天内寄出新货。赠品不在保修范围内。</translation>
    </message>
    <message>
        <source>The counter's periods are saved.</source>
        <translation>零售保修期限已保存。</translation>
    </message>
    <message>
        <source>{item} is no longer under warranty for {category}.</source>
        <translation>{item} 已列为{category}的不保修部件。</translation>
    </message>
    <message>
        <source>{item} is under warranty again.</source>
        <translation>{item} 已恢复保修。</translation>
    </message>
    <message>
        <source>Put {item} ({category}) back under the counter's warranty?</source>
        <translation>将 {item}（{category}）恢复为零售保修范围？</translation>
    </message>
    <message>
        <source>In force</source>
        <translation>生效中</translation>
    </message>
    <message>
        <source>Retired</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Change warranty policy</source>
        <translation>修改质量担保政策</translation>
    </message>
    <message>
        <source>New warranty policy</source>
        <translation>新增质量担保政策</translation>
    </message>
    <message>
        <source>Policy name</source>
        <translation>政策名称</translation>
    </message>
    <message>
        <source>Pick a category, or type the code of a new one (small letters, e.g. battery).</source>
        <translation>选择类别，或输入新类别的代码（小写字母，如 battery）。</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>起算方式</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>天数</translation>
    </message>
    <message>
        <source>Kilometres</source>
        <translation>公里数</translation>
    </message>
    <message>
        <source>Excluded</source>
        <translation>不在担保范围</translation>
    </message>
    <message>
        <source>this category is not under warranty</source>
        <translation>该类别不在质量担保范围</translation>
    </message>
    <message>
        <source>Days, kilometres or both (whichever comes first). The next warranty decision uses the new terms; orders already decided keep theirs.</source>
        <translation>天数、公里数或两者（以先到者为准）。下一次质量担保判定即采用新条款；已判定的工单保持原判定。</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>政策</translation>
    </message>
    <message>
        <source>Cover</source>
        <translation>担保范围</translation>
    </message>
    <message>
        <source>&amp;New policy…</source>
        <translation>新增政策(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Change…</source>
        <translation>修改(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Retire</source>
        <translation>停用(&amp;R)</translation>
    </message>
    <message>
        <source>{name} is saved; it applies from the next decision.</source>
        <translation>{name}已保存，自下一次判定起生效。</translation>
    </message>
    <message>
        <source>{name} is retired and kept for history.</source>
        <translation>{name}已停用并保留作历史记录。</translation>
    </message>
    <message>
        <source>Retire the policy</source>
        <translation>停用政策</translation>
    </message>
    <message>
        <source>Retire {name}? Until a new policy for {category} is added, the warranty of such items is referred to the manufacturer.</source>
        <translation>停用{name}？在新增{category}政策之前，此类项目的质量担保将上报厂家审批。</translation>
    </message>
    <message>
        <source>Retire</source>
        <translation>停用</translation>
    </message>
</context>
<context>
    <name>Aftercare</name>
    <message>
        <source>Follow-up call</source>
        <extracomment>Complaint steps in their required order and the state each one leads to. The rulebook's window: the follow-up call is made within 3 days of the car leaving. A customer not reached is called again this long after, the same day, when tomorrow would be outside the window.</extracomment>
        <translation>回访</translation>
    </message>
    <message>
        <source>This follow-up call is finished already.</source>
        <translation>该回访已结束。</translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Record whether the fault is gone.</source>
        <translation>请记录故障是否已排除。</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>Record the follow-up call's answer first.</source>
        <translation>请先记录回访结果。</translation>
    </message>
    <message>
        <source>A complaint was opened from this follow-up call already.</source>
        <translation>该回访已生成投诉。</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>投诉渠道</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>The order belongs to another customer.</source>
        <translation>该工单属于其他顾客。</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>员工</translation>
    </message>
    <message>
        <source>investigation</source>
        <translation>调查</translation>
    </message>
    <message>
        <source>measures</source>
        <translation>处理措施</translation>
    </message>
    <message>
        <source>feedback to the customer</source>
        <translation>反馈顾客</translation>
    </message>
    <message>
        <source>follow-up after the fact</source>
        <translation>事后跟踪</translation>
    </message>
    <message>
        <source>outcome for the staff member</source>
        <translation>对当事员工的处理</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Complaint {number} is closed.</source>
        <translation>投诉 {number} 已关闭。</translation>
    </message>
    <message>
        <source>Record the {step} step first.</source>
        <translation>请先记录“{step}”步骤。</translation>
    </message>
    <message>
        <source>Complaint {number} is past the {step} step.</source>
        <translation>投诉 {number} 已过“{step}”步骤。</translation>
    </message>
    <message>
        <source>Complaint {number} can be closed only after the follow-up step.</source>
        <translation>投诉 {number} 须完成事后跟踪后才能关闭。</translation>
    </message>
    <message>
        <source>Order {number} is not marked as a comeback.</source>
        <translation>工单 {number} 未标记为返修。</translation>
    </message>
    <message>
        <source>Marked as a comeback.</source>
        <translation>已标记为返修。</translation>
    </message>
    <message>
        <source>Same problem repaired twice: order {number} comes back after order {original}. {complaint}</source>
        <translation>同一问题重复修理：工单 {number} 为工单 {original} 的返修。{complaint}</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>来电内容</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>This call was answered already.</source>
        <translation>该来电已答复。</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>答复</translation>
    </message>
    <message>
        <source>Claim state</source>
        <translation>索赔状态</translation>
    </message>
    <message>
        <source>Job line</source>
        <translation>维修项目</translation>
    </message>
    <message>
        <source>{line} is not a warranty claim.</source>
        <translation>{line} 不是索赔项目。</translation>
    </message>
    <message>
        <source>The claim for {line} is decided already.</source>
        <translation>{line} 的索赔已有结论。</translation>
    </message>
    <message>
        <source>Claim number</source>
        <translation>索赔单号</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Order {number} is settled: the customer can no longer be charged for {line}. Write it off (manager approval) or void the settlement first.</source>
        <translation>工单 {number} 已结算，不能再向顾客收取 {line} 的费用。请核销（需总经理审批）或先作废结算。</translation>
    </message>
    <message>
        <source>The customer pays {line} already; there is nothing to write off.</source>
        <translation>{line} 已由顾客付费，无需核销。</translation>
    </message>
</context>
<context>
    <name>AftercareApprovalsPage</name>
    <message>
        <source>In-tray</source>
        <translation>待审批</translation>
    </message>
    <message>
        <source>Also show &amp;decisions of the last 30 days</source>
        <translation>同时显示近30天的审批结果(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Approve…</source>
        <translation>批准(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Refuse…</source>
        <translation>拒绝(&amp;R)…</translation>
    </message>
    <message>
        <source>Show the &amp;order…</source>
        <translation>查看工单(&amp;O)…</translation>
    </message>
    <message>
        <source>Approvals waiting for the general manager</source>
        <translation>等待总经理审批的申请</translation>
    </message>
    <message>
        <source>Returns, refunds, voids, discounts over the limit, warranty write-offs and credit over the limit wait here. Nothing proceeds until you approve it with your PIN.</source>
        <translation>退货、退款、作废、超限折扣、保修核销和超额挂账在此等待审批。未经您输入密码批准，任何一项都不会执行。</translation>
    </message>
    <message>
        <source>My requests</source>
        <translation>我的申请</translation>
    </message>
    <message>
        <source>What you asked the general manager for, newest first, with the answer. An approved request is used by the step that needed it (e.g. the refund at the checkout desk).</source>
        <translation>您向总经理提出的申请（最新在前）及答复。批准后的申请由需要它的步骤使用（例如结账台的退款）。</translation>
    </message>
</context>
<context>
    <name>AftercareCallForm</name>
    <message>
        <source>&amp;Caller:</source>
        <translation>来电人(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>电话(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;What the caller wants:</source>
        <translation>来电内容(&amp;W)：</translation>
    </message>
    <message>
        <source>&amp;Urgent (on-site or urgent job: answer at once)</source>
        <translation>紧急(&amp;U)（上门或紧急任务：立即答复）</translation>
    </message>
    <message>
        <source>Customer, vehicle and order (if known)</source>
        <translation>顾客、车辆和工单（如已知）</translation>
    </message>
</context>
<context>
    <name>AftercareComplaintForm</name>
    <message>
        <source>Who complains</source>
        <translation>投诉人</translation>
    </message>
    <message>
        <source>The complaint</source>
        <translation>投诉内容</translation>
    </message>
    <message>
        <source>C&amp;hannel:</source>
        <translation>投诉渠道(&amp;H)：</translation>
    </message>
    <message>
        <source>C&amp;ause:</source>
        <translation>原因(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Staff concerned:</source>
        <translation>涉及员工(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>描述(&amp;D)：</translation>
    </message>
    <message>
        <source>In the customer's own words</source>
        <translation>按顾客原话记录</translation>
    </message>
</context>
<context>
    <name>AftercareComplaintsPage</name>
    <message>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Filter by number, customer, plate or cause…</source>
        <translation>按编号、顾客、车牌或原因筛选…</translation>
    </message>
    <message>
        <source>Show c&amp;losed cases</source>
        <translation>显示已关闭的投诉(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;New complaint…</source>
        <translation>新建投诉(&amp;N)…</translation>
    </message>
    <message>
        <source>Pick a complaint on the left to see the case and record its next step.</source>
        <translation>在左侧选择一个投诉，查看处理经过并记录下一步。</translation>
    </message>
    <message>
        <source>Channel:</source>
        <translation>投诉渠道：</translation>
    </message>
    <message>
        <source>Customer:</source>
        <translation>顾客：</translation>
    </message>
    <message>
        <source>Vehicle:</source>
        <translation>车辆：</translation>
    </message>
    <message>
        <source>Repair order:</source>
        <translation>工单：</translation>
    </message>
    <message>
        <source>Cause:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Staff concerned:</source>
        <translation>涉及员工：</translation>
    </message>
    <message>
        <source>Recorded:</source>
        <translation>登记：</translation>
    </message>
    <message>
        <source>Description:</source>
        <translation>描述：</translation>
    </message>
    <message>
        <source>Steps of the case</source>
        <translation>处理经过</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>S&amp;tep:</source>
        <translation>步骤(&amp;T)：</translation>
    </message>
    <message>
        <source>What was found, done or told to the customer…</source>
        <translation>调查结果、处理措施或告知顾客的内容…</translation>
    </message>
    <message>
        <source>&amp;Save step</source>
        <translation>保存步骤(&amp;S)</translation>
    </message>
    <message>
        <source>Close the c&amp;ase…</source>
        <translation>结案(&amp;A)…</translation>
    </message>
    <message>
        <source>Show the &amp;order…</source>
        <translation>查看工单(&amp;O)…</translation>
    </message>
    <message>
        <source>Call log</source>
        <translation>来电登记</translation>
    </message>
    <message>
        <source>Filter by caller, phone, order or subject…</source>
        <translation>按来电人、电话、工单或内容筛选…</translation>
    </message>
    <message>
        <source>Show ans&amp;wered calls (last 30 days)</source>
        <translation>显示已答复的来电（近30天）(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Log a call…</source>
        <translation>登记来电(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Answer…</source>
        <translation>答复(&amp;A)…</translation>
    </message>
    <message>
        <source>Every customer call is logged; a request is answered within 24 hours, an urgent one at once. Calls past their answer time are red.</source>
        <translation>每个顾客来电都要登记；一般请求24小时内答复，紧急请求立即答复。超过答复时限的来电显示为红色。</translation>
    </message>
</context>
<context>
    <name>AftercareDecideForm</name>
    <message>
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
    <message>
        <source>Your &amp;PIN:</source>
        <translation>您的密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Type your PIN again: a station left signed in cannot approve.</source>
        <translation>请再次输入密码：保持登录的工位不能代为审批。</translation>
    </message>
</context>
<context>
    <name>AftercareFollowUpPage</name>
    <message>
        <source>Follow-up calls</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>显示(&amp;S)：</translation>
    </message>
    <message>
        <source>Filter by customer, plate or order…</source>
        <translation>按顾客、车牌或工单筛选…</translation>
    </message>
    <message>
        <source>Pick a call on the left: the order, the work done and the advisor show here.</source>
        <translation>在左侧选择一个回访：这里显示工单、维修项目和服务顾问。</translation>
    </message>
    <message>
        <source>Work done</source>
        <translation>维修项目</translation>
    </message>
    <message>
        <source>&amp;Record the call…</source>
        <translation>记录回访结果(&amp;R)…</translation>
    </message>
    <message>
        <source>Open a &amp;complaint</source>
        <translation>生成投诉(&amp;C)</translation>
    </message>
    <message>
        <source>Show the &amp;order…</source>
        <translation>查看工单(&amp;O)…</translation>
    </message>
    <message>
        <source>Service reminders</source>
        <translation>保养提醒</translation>
    </message>
    <message>
        <source>&amp;Due within:</source>
        <translation>到期时间(&amp;D)：</translation>
    </message>
    <message>
        <source>Filter by customer or plate…</source>
        <translation>按顾客或车牌筛选…</translation>
    </message>
    <message>
        <source>&amp;Book an appointment…</source>
        <translation>预约(&amp;B)…</translation>
    </message>
    <message>
        <source>Cars whose next service is due by date or by the mileage estimated from their odometer history. Cars in the shop or already booked are not listed.</source>
        <translation>按日期或按行驶里程记录推算的里程，下次保养即将到期的车辆。在店内或已预约的车辆不列出。</translation>
    </message>
</context>
<context>
    <name>AftercareRecordForm</name>
    <message>
        <source>The call</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Customer &amp;reached</source>
        <translation>已联系到顾客(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Not reached</source>
        <translation>未联系到(&amp;N)</translation>
    </message>
    <message>
        <source>The customer's answers</source>
        <translation>顾客的回答</translation>
    </message>
    <message>
        <source>Satisfaction:</source>
        <translation>满意度：</translation>
    </message>
    <message>
        <source>&amp;5 Satisfied</source>
        <translation>&amp;5 满意</translation>
    </message>
    <message>
        <source>&amp;4</source>
        <translation>&amp;4</translation>
    </message>
    <message>
        <source>&amp;3 Neutral</source>
        <translation>&amp;3 一般</translation>
    </message>
    <message>
        <source>&amp;2</source>
        <translation>&amp;2</translation>
    </message>
    <message>
        <source>&amp;1 Dissatisfied</source>
        <translation>&amp;1 不满意</translation>
    </message>
    <message>
        <source>Fault gone?</source>
        <translation>故障已排除？</translation>
    </message>
    <message>
        <source>&amp;Yes, the fault is gone</source>
        <translation>是，故障已排除(&amp;Y)</translation>
    </message>
    <message>
        <source>N&amp;o, it is still there</source>
        <translation>否，故障仍在(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Comments (the customer's words):</source>
        <translation>备注（顾客原话）(&amp;C)：</translation>
    </message>
</context>
<context>
    <name>AftercareUi</name>
    <message>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <source>{n} h</source>
        <translation>{n} 小时</translation>
    </message>
    <message>
        <source>{d} d {h} h</source>
        <translation>{d}天{h}小时</translation>
    </message>
    <message>
        <source>By phone</source>
        <extracomment>Rows measured when columns are fitted to their text (the visible ones are measured too).</extracomment>
        <translation>电话</translation>
    </message>
    <message>
        <source>By letter</source>
        <translation>来函</translation>
    </message>
    <message>
        <source>In person</source>
        <translation>当面</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>记录于</translation>
    </message>
    <message>
        <source>Investigation</source>
        <translation>调查</translation>
    </message>
    <message>
        <source>Measures</source>
        <translation>处理措施</translation>
    </message>
    <message>
        <source>Feedback to the customer</source>
        <translation>反馈顾客</translation>
    </message>
    <message>
        <source>Follow-up after the fact</source>
        <translation>事后跟踪</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Complaint recorded</source>
        <translation>登记投诉</translation>
    </message>
    <message>
        <source>Pending manufacturer approval</source>
        <translation>待厂家审批</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>Rejected: customer pays</source>
        <translation>已拒赔：顾客付费</translation>
    </message>
    <message>
        <source>Written off</source>
        <translation>已核销</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>Approved and used</source>
        <translation>已批准并已使用</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>What you typed on {time} was not saved. Restore it?</source>
        <translation>您在 {time} 输入的内容尚未保存。要恢复吗？</translation>
    </message>
    <message>
        <source>Name, phone, plate, VIN or order number, then Enter</source>
        <translation>输入姓名、电话、车牌、VIN 或工单号后按回车</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Repair order</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Nothing found. Try the phone or the plate.</source>
        <translation>未找到。请试试电话或车牌。</translation>
    </message>
    <message>
        <source>No customer chosen yet.</source>
        <translation>尚未选择顾客。</translation>
    </message>
    <message>
        <source>— none —</source>
        <translation>— 无 —</translation>
    </message>
    <message>
        <source>Answered {when} by {name}</source>
        <translation>{name} 已于 {when} 答复</translation>
    </message>
    <message>
        <source>Overdue by {time}</source>
        <translation>已超时 {time}</translation>
    </message>
    <message>
        <source>Answer within {time}</source>
        <translation>{time} 内答复</translation>
    </message>
    <message>
        <source>New complaint</source>
        <translation>新建投诉</translation>
    </message>
    <message>
        <source>&amp;Record complaint</source>
        <translation>登记投诉(&amp;R)</translation>
    </message>
    <message>
        <source>Record as a co&amp;meback</source>
        <translation>记为返修(&amp;M)</translation>
    </message>
    <message>
        <source>Order {number} is a comeback of order {original}: the same problem repaired twice.</source>
        <translation>工单 {number} 是工单 {original} 的返修：同一问题重复修理。</translation>
    </message>
    <message>
        <source>Find the customer first (name, phone, plate or order).</source>
        <translation>请先查找顾客（姓名、电话、车牌或工单）。</translation>
    </message>
    <message>
        <source>Log a call</source>
        <translation>登记来电</translation>
    </message>
    <message>
        <source>&amp;Log call</source>
        <translation>登记(&amp;L)</translation>
    </message>
    <message>
        <source>Answer the call of {caller}</source>
        <translation>答复 {caller} 的来电</translation>
    </message>
    <message>
        <source>&amp;Save answer</source>
        <translation>保存答复(&amp;S)</translation>
    </message>
    <message>
        <source>Answer given:</source>
        <translation>答复内容：</translation>
    </message>
    <message>
        <source>&amp;Outcome for the staff member…</source>
        <translation>对当事员工的处理(&amp;O)…</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>投诉渠道</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Staff concerned</source>
        <translation>涉及员工</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>What was done</source>
        <translation>处理内容</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>来电时间</translation>
    </message>
    <message>
        <source>Answer by</source>
        <translation>答复时限</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>来电内容</translation>
    </message>
    <message>
        <source>Open the &amp;comeback cases</source>
        <translation>建立返修投诉(&amp;C)</translation>
    </message>
    <message>
        <source>{n} comebacks (the same problem repaired twice) have no complaint case yet: {orders}.</source>
        <translation>有 {n} 个返修（同一问题重复修理）尚未建立投诉：{orders}。</translation>
    </message>
    <message>
        <source>Comeback cases: {numbers}.</source>
        <translation>返修投诉：{numbers}。</translation>
    </message>
    <message>
        <source>{n} cases</source>
        <translation>{n} 件投诉</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Closed on {when}</source>
        <translation>已于 {when} 结案</translation>
    </message>
    <message>
        <source>Complaint {number} recorded.</source>
        <translation>投诉 {number} 已登记。</translation>
    </message>
    <message>
        <source>{step} recorded for {number}.</source>
        <translation>{number} 的“{step}”已记录。</translation>
    </message>
    <message>
        <source>Outcome recorded for {number}.</source>
        <translation>已记录 {number} 的处理结果。</translation>
    </message>
    <message>
        <source>Close the complaint</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>Close complaint {number}? A closed case cannot be reopened; the text typed below is kept as the closing note.</source>
        <translation>确定将投诉 {number} 结案吗？结案后不能重新打开；下方输入的内容将作为结案说明保存。</translation>
    </message>
    <message>
        <source>Close the case</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>Complaint {number} closed.</source>
        <translation>投诉 {number} 已结案。</translation>
    </message>
    <message>
        <source>{n} calls to answer</source>
        <translation>{n} 个来电待答复</translation>
    </message>
    <message>
        <source>{n} overdue</source>
        <translation>{n} 个已超时</translation>
    </message>
    <message>
        <source>Call from {caller} logged; answer by {when}.</source>
        <translation>{caller} 的来电已登记；请于 {when} 前答复。</translation>
    </message>
    <message>
        <source>Answer to {caller} recorded.</source>
        <translation>对 {caller} 的答复已记录。</translation>
    </message>
    <message>
        <source>Recorded today</source>
        <extracomment>The choices of the "Show" box: (key, days ahead) — "done" lists today's recorded calls.</extracomment>
        <translation>今天已记录</translation>
    </message>
    <message>
        <source>Due today and overdue</source>
        <translation>今天到期和已逾期</translation>
    </message>
    <message>
        <source>Due within 3 days</source>
        <translation>3天内到期</translation>
    </message>
    <message>
        <source>Due within a week</source>
        <translation>一周内到期</translation>
    </message>
    <message>
        <source>Not reached yet ({n} tries)</source>
        <translation>尚未联系到（已拨打 {n} 次）</translation>
    </message>
    <message>
        <source>To call</source>
        <translation>待回访</translation>
    </message>
    <message>
        <source>Unreachable after {n} tries</source>
        <translation>拨打 {n} 次均未联系到</translation>
    </message>
    <message>
        <source>Satisfaction {n} of 5</source>
        <translation>满意度 {n}/5</translation>
    </message>
    <message>
        <source>fault not gone</source>
        <translation>故障未排除</translation>
    </message>
    <message>
        <source>fault gone</source>
        <translation>故障已排除</translation>
    </message>
    <message>
        <source>Mileage</source>
        <translation>里程</translation>
    </message>
    <message>
        <source>Follow-up call: {customer}</source>
        <translation>回访：{customer}</translation>
    </message>
    <message>
        <source>&amp;Save result</source>
        <translation>保存结果(&amp;S)</translation>
    </message>
    <message>
        <source>Preferred call time: {time}</source>
        <translation>方便接听时间：{time}</translation>
    </message>
    <message>
        <source>Call attempt {n} of {max}. Not reached: the call comes back tomorrow; after {max} tries the customer counts as unreachable.</source>
        <translation>第 {n} 次拨打（共 {max} 次）。未联系到时明天再次回访；{max} 次后记为无法联系。</translation>
    </message>
    <message>
        <source>Follow-up call</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Open a &amp;complaint case</source>
        <translation>生成投诉(&amp;C)</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>到期</translation>
    </message>
    <message>
        <source>Preferred time</source>
        <translation>方便时间</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Pay type</source>
        <translation>付费类型</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>{n} weeks</source>
        <translation>{n} 周</translation>
    </message>
    <message>
        <source>Due by</source>
        <translation>到期依据</translation>
    </message>
    <message>
        <source>Next service date</source>
        <translation>下次保养时间</translation>
    </message>
    <message>
        <source>Next service km</source>
        <translation>下次保养里程</translation>
    </message>
    <message>
        <source>Estimated km then</source>
        <translation>届时预计里程</translation>
    </message>
    <message>
        <source>Your roles do not allow this.</source>
        <translation>您的角色无权执行此操作。</translation>
    </message>
    <message>
        <source>1 call</source>
        <translation>1 个回访</translation>
    </message>
    <message>
        <source>{n} calls</source>
        <translation>{n} 个回访</translation>
    </message>
    <message>
        <source>Service advisor: {name}</source>
        <translation>服务顾问：{name}</translation>
    </message>
    <message>
        <source>Team / technician: {who}</source>
        <translation>班组 / 维修技师：{who}</translation>
    </message>
    <message>
        <source>Customer's complaint: {text}</source>
        <translation>故障描述：{text}</translation>
    </message>
    <message>
        <source>Due: {when}</source>
        <translation>到期：{when}</translation>
    </message>
    <message>
        <source>Comments: {text}</source>
        <translation>备注：{text}</translation>
    </message>
    <message>
        <source>Overdue.</source>
        <translation>已逾期。</translation>
    </message>
    <message>
        <source>{customer} not reached; the call is due again on {when}.</source>
        <translation>未联系到 {customer}；将于 {when} 再次回访。</translation>
    </message>
    <message>
        <source>{customer} could not be reached after {n} tries.</source>
        <translation>拨打 {n} 次仍未联系到 {customer}。</translation>
    </message>
    <message>
        <source>Follow-up call with {customer} recorded.</source>
        <translation>{customer} 的回访结果已记录。</translation>
    </message>
    <message>
        <source>{customer} is not happy ({result}). Open a complaint case for order {number}?</source>
        <translation>{customer} 不满意（{result}）。为工单 {number} 生成投诉吗？</translation>
    </message>
    <message>
        <source>Complaint {number} opened; it is on the Complaints page.</source>
        <translation>投诉 {number} 已生成，请在“投诉与来电”页面处理。</translation>
    </message>
    <message>
        <source>The service reminders</source>
        <translation>保养提醒</translation>
    </message>
    <message>
        <source>Reading the service reminders…</source>
        <translation>正在读取保养提醒…</translation>
    </message>
    <message>
        <source>1 car (due in the chosen weeks or overdue up to {months} months)</source>
        <translation>1 辆车(所选周数内到期或逾期不超过 {months} 个月)</translation>
    </message>
    <message>
        <source>{n} cars (due in the chosen weeks or overdue up to {months} months)</source>
        <translation>{n} 辆车(所选周数内到期或逾期不超过 {months} 个月)</translation>
    </message>
    <message>
        <source>Scheduled service (due {date}, {km} km)</source>
        <translation>定期保养（到期 {date}，{km} 公里）</translation>
    </message>
    <message>
        <source>Appointment booked for {vehicle}.</source>
        <translation>已为 {vehicle} 预约。</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Complaints &amp; calls</source>
        <translation>投诉与来电</translation>
    </message>
    <message>
        <source>Warranty</source>
        <translation>保修索赔</translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation>总经理审批</translation>
    </message>
    <message>
        <source>All claims</source>
        <extracomment>The choices of the claims list: a claim state or None for all.</extracomment>
        <translation>全部索赔</translation>
    </message>
    <message>
        <source>Claim approved by the manufacturer</source>
        <translation>厂家已批准索赔</translation>
    </message>
    <message>
        <source>&amp;Approve claim</source>
        <translation>批准索赔(&amp;A)</translation>
    </message>
    <message>
        <source>Manufacturer's claim number:</source>
        <translation>厂家索赔单号：</translation>
    </message>
    <message>
        <source>Claim rejected by the manufacturer</source>
        <translation>厂家拒绝索赔</translation>
    </message>
    <message>
        <source>&amp;Reject claim</source>
        <translation>拒赔(&amp;R)</translation>
    </message>
    <message>
        <source>The &amp;customer pays (only before settlement)</source>
        <translation>由顾客付费(&amp;C)（仅限结账前）</translation>
    </message>
    <message>
        <source>The shop &amp;writes it off (general manager's approval)</source>
        <translation>店内核销(&amp;W)（需总经理审批）</translation>
    </message>
    <message>
        <source>Outcome of complaint {number} for {name}</source>
        <translation>投诉 {number} 对 {name} 的处理结果</translation>
    </message>
    <message>
        <source>Record the outcome</source>
        <translation>记录处理结果</translation>
    </message>
    <message>
        <source>Outcome:</source>
        <translation>处理结果：</translation>
    </message>
    <message>
        <source>Amount deducted (¥):</source>
        <translation>扣除金额（¥）：</translation>
    </message>
    <message>
        <source>What the investigation found, and what the person was told</source>
        <translation>调查结果，以及对当事人的告知</translation>
    </message>
    <message>
        <source>Found:</source>
        <translation>调查结果：</translation>
    </message>
    <message>
        <source>The order is settled: the customer can no longer be charged.</source>
        <translation>该工单已结账：不能再向顾客收费。</translation>
    </message>
    <message>
        <source>Write-off approval {state} ({amount}, asked by {name}).</source>
        <translation>核销审批{state}（{amount}，申请人 {name}）。</translation>
    </message>
    <message>
        <source>Manufacturer rejected the claim for {item}.</source>
        <translation>厂家拒绝了 {item} 的索赔。</translation>
    </message>
    <message>
        <source>Write-off requested. Once the general manager approves it, reject the claim again with “write off”.</source>
        <translation>已申请核销。总经理批准后，请再次选择拒赔并选“店内核销”。</translation>
    </message>
    <message>
        <source>Claim</source>
        <translation>索赔</translation>
    </message>
    <message>
        <source>Claim number</source>
        <translation>索赔单号</translation>
    </message>
    <message>
        <source>Order state</source>
        <translation>工单状态</translation>
    </message>
    <message>
        <source>Days in repair</source>
        <translation>修理天数</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>The warranty claims</source>
        <translation>索赔</translation>
    </message>
    <message>
        <source>The 三包 watchlist</source>
        <translation>三包监控</translation>
    </message>
    <message>
        <source>Reading the claims…</source>
        <translation>正在读取索赔…</translation>
    </message>
    <message>
        <source>{n} lines · {amount}</source>
        <translation>{n} 项 · {amount}</translation>
    </message>
    <message>
        <source>Claim for {item} approved ({number}).</source>
        <translation>{item} 的索赔已批准（{number}）。</translation>
    </message>
    <message>
        <source>Claim for {item} rejected: {outcome}.</source>
        <translation>{item} 的索赔被拒：{outcome}。</translation>
    </message>
    <message>
        <source>Reading the watchlist…</source>
        <translation>正在读取监控列表…</translation>
    </message>
    <message>
        <source>The watchlist could not be read.</source>
        <translation>监控清单无法读取。</translation>
    </message>
    <message>
        <source>Cars with warnings: {n}</source>
        <translation>有提醒的车辆：{n}</translation>
    </message>
    <message>
        <source>threshold reached: {n}</source>
        <translation>已达到限值：{n}</translation>
    </message>
    <message>
        <source>No vehicle found for “{text}”.</source>
        <translation>未找到“{text}”对应的车辆。</translation>
    </message>
    <message>
        <source>No warning.</source>
        <translation>无提醒。</translation>
    </message>
    <message>
        <source>Evidence: repairs counted</source>
        <translation>依据：计入的修理</translation>
    </message>
    <message>
        <source>Evidence: {warning}</source>
        <translation>依据：{warning}</translation>
    </message>
    <message>
        <source>Export the 三包 watch list</source>
        <translation>导出三包监控清单</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Written: {path}</source>
        <translation>已写入：{path}</translation>
    </message>
    <message>
        <source>Asked</source>
        <translation>申请时间</translation>
    </message>
    <message>
        <source>What</source>
        <translation>申请事项</translation>
    </message>
    <message>
        <source>Asked by</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Decided by</source>
        <translation>审批人</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>答复</translation>
    </message>
    <message>
        <source>Order {number} · {plate} · {customer}</source>
        <translation>工单 {number} · {plate} · {customer}</translation>
    </message>
    <message>
        <source>Asked by {name} on {when}</source>
        <translation>{name} 于 {when} 申请</translation>
    </message>
    <message>
        <source>Why: {reason}</source>
        <translation>理由：{reason}</translation>
    </message>
    <message>
        <source>Approve the request</source>
        <translation>批准申请</translation>
    </message>
    <message>
        <source>Refuse the request</source>
        <translation>拒绝申请</translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation>批准(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Refuse</source>
        <translation>拒绝(&amp;R)</translation>
    </message>
    <message>
        <source>Optional note for the requester</source>
        <translation>给申请人的备注（可选）</translation>
    </message>
    <message>
        <source>Why not (the requester reads it)</source>
        <translation>拒绝理由（申请人可见）</translation>
    </message>
    <message>
        <source>Mark as seen</source>
        <translation>标记为已读</translation>
    </message>
    <message>
        <source>Wrong PINs: someone may be trying to guess a PIN. Check with the person.</source>
        <translation>PIN 多次输错：可能有人在试猜 PIN。请与本人核实。</translation>
    </message>
    <message>
        <source>… and {n} more.</source>
        <translation>……另有 {n} 条。</translation>
    </message>
    <message>
        <source>{n} waiting for you</source>
        <translation>{n} 项待您审批</translation>
    </message>
    <message>
        <source>In-tray</source>
        <translation>待审批</translation>
    </message>
    <message>
        <source>Approved: {what} for {name}.</source>
        <translation>已批准：{name} 的{what}。</translation>
    </message>
    <message>
        <source>Refused: {what} for {name}.</source>
        <translation>已拒绝：{name} 的{what}。</translation>
    </message>
    <message>
        <source>{n} requests, {w} still waiting</source>
        <translation>共 {n} 项申请，{w} 项仍在等待</translation>
    </message>
</context>
<context>
    <name>AftercareWarrantyPage</name>
    <message>
        <source>Warranty claims</source>
        <translation>索赔</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>显示(&amp;S)：</translation>
    </message>
    <message>
        <source>Filter by order, plate, customer or item…</source>
        <translation>按工单、车牌、顾客或项目筛选…</translation>
    </message>
    <message>
        <source>&amp;Approved by the manufacturer…</source>
        <translation>厂家已批准(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Rejected…</source>
        <translation>厂家拒赔(&amp;R)…</translation>
    </message>
    <message>
        <source>Show the &amp;order…</source>
        <translation>查看工单(&amp;O)…</translation>
    </message>
    <message>
        <source>Lines charged to warranty and lines of orders whose warranty waits for the manufacturer. Approved: the line stays free for the customer. Rejected: the customer pays (before settlement) or the shop writes the amount off with the general manager's approval.</source>
        <translation>保修付费的项目以及待厂家审批工单的项目。批准：该项目对顾客免费。拒赔：由顾客付费（结账前），或经总经理审批后由店内核销。</translation>
    </message>
    <message>
        <source>三包 monitor</source>
        <translation>三包监控</translation>
    </message>
    <message>
        <source>Watch list &amp;on:</source>
        <translation>监控日期(&amp;O)：</translation>
    </message>
    <message>
        <source>Look up any car: plate, VIN or customer, then Enter</source>
        <translation>查询任意车辆：输入车牌、VIN 或顾客后按回车</translation>
    </message>
    <message>
        <source>E&amp;xport the list…</source>
        <translation>导出清单(&amp;X)…</translation>
    </message>
    <message>
        <source>三包 watch list</source>
        <translation>三包监控清单</translation>
    </message>
    <message>
        <source>Pick a car from the watch list, or look up any car, to see its repairs in the statutory warranty period.</source>
        <translation>从监控清单中选择车辆或查询任意车辆，查看其在三包有效期内的修理记录。</translation>
    </message>
    <message>
        <source>Figures of the car</source>
        <translation>车辆指标</translation>
    </message>
    <message>
        <source>Warnings (pick one to see its evidence)</source>
        <translation>提醒（选择一项查看依据）</translation>
    </message>
    <message>
        <source>Evidence: repairs counted</source>
        <translation>依据：计入的修理</translation>
    </message>
</context>
<context>
    <name>AlertsPage</name>
    <message>
        <source>Workshop notices</source>
        <translation>车间通知</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Read the notices again (F5)</source>
        <translation>重新读取通知 (F5)</translation>
    </message>
    <message>
        <source>Delays, damage found in the workshop, wash steps and additional work on your orders. Tell the customer, then acknowledge.</source>
        <translation>您负责的工单的进度延误、车间发现的新损伤、洗车进度和增项。告知顾客后点“已知悉”。</translation>
    </message>
    <message>
        <source>&amp;Acknowledge (customer told)</source>
        <translation>已知悉（已告知顾客）(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Open the order</source>
        <translation>打开工单(&amp;O)</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Unexpected error</source>
        <extracomment>Family of the bundled font (WenQuanYi Micro Hei) once loaded.</extracomment>
        <translation>意外错误</translation>
    </message>
    <message>
        <source>Something went wrong that shop-desk did not expect. Your input is still on the screen; please try again or tell the administrator. Details are in {path}.</source>
        <translation>shop-desk 遇到了意外问题。您输入的内容仍在屏幕上；请重试或告知系统管理员。详细信息见 {path}。</translation>
    </message>
    <message>
        <source>The newest backup is {file} from {when}.</source>
        <translation>最新的备份是 {when} 的 {file}。</translation>
    </message>
    <message>
        <source>No backup was found in the user data folder.</source>
        <translation>在用户数据文件夹中没有找到备份。</translation>
    </message>
    <message>
        <source>The database is damaged</source>
        <translation>数据库已损坏</translation>
    </message>
    <message>
        <source>The shop database {path} failed its integrity check ({detail}). Do not keep working on it. Close shop-desk on every PC, then restore the newest backup with "shop-desk restore BACKUP-FILE" or ask your IT person. {hint}</source>
        <translation>门店数据库 {path} 未通过完整性检查（{detail}）。请不要继续在其上工作。请关闭每台电脑上的 shop-desk，然后用“shop-desk restore 备份文件”恢复最新的备份，或联系 IT 人员。{hint}</translation>
    </message>
    <message>
        <source>Cannot open the database</source>
        <translation>无法打开数据库</translation>
    </message>
    <message>
        <source>The database {path} cannot be opened: {error}</source>
        <translation>无法打开数据库 {path}：{error}</translation>
    </message>
</context>
<context>
    <name>AppointmentBookForm</name>
    <message>
        <source>Customer and vehicle</source>
        <translation>顾客和车辆</translation>
    </message>
    <message>
        <source>&amp;Find or register…</source>
        <translation>查找或登记(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Date</source>
        <translation>日期(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Time</source>
        <translation>时间(&amp;T)</translation>
    </message>
    <message>
        <source>Estimated &amp;hours</source>
        <translation>预计工时(&amp;H)</translation>
    </message>
    <message>
        <source>Service &amp;advisor</source>
        <translation>服务顾问(&amp;A)</translation>
    </message>
    <message>
        <source>Requested &amp;work</source>
        <translation>预约项目(&amp;W)</translation>
    </message>
    <message>
        <source>What the customer asks for, in their words (e.g. 5,000 km service, brakes squeak)</source>
        <translation>顾客的要求，用顾客自己的话（例如：5000公里保养、刹车异响）</translation>
    </message>
    <message>
        <source>&amp;Notes</source>
        <translation>备注(&amp;N)</translation>
    </message>
    <message>
        <source>For the preparation list (optional)</source>
        <translation>用于接待准备清单（可选）</translation>
    </message>
</context>
<context>
    <name>Appointments</name>
    <message>
        <source>Booked</source>
        <translation>已预约</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>已到店</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>No-show</source>
        <translation>未到店</translation>
    </message>
    <message>
        <source>Choose a date and time for the appointment.</source>
        <translation>请选择预约日期和时间。</translation>
    </message>
    <message>
        <source>The appointment time has already passed.</source>
        <translation>预约时间已过。</translation>
    </message>
    <message>
        <source>The shop is closed on Sundays; choose another day.</source>
        <translation>周日不营业，请另选日期。</translation>
    </message>
    <message>
        <source>Appointments are between {start} and {end}.</source>
        <translation>预约时间为 {start} 至 {end}。</translation>
    </message>
    <message>
        <source>Appointments start every {minutes} minutes from {start}.</source>
        <translation>预约从 {start} 起每 {minutes} 分钟一个时段。</translation>
    </message>
    <message>
        <source>The vehicle {vehicle} already has an appointment on {date} at {time}.</source>
        <translation>车辆 {vehicle} 在 {date} {time} 已有预约。</translation>
    </message>
    <message>
        <source>{advisor} already has an appointment at {time}; choose another advisor or time.</source>
        <translation>{advisor} 在 {time} 已有预约，请另选服务顾问或时间。</translation>
    </message>
    <message>
        <source>All {n} service advisors are booked at {time}; choose another time.</source>
        <translation>{time} 的 {n} 位服务顾问均已约满，请另选时间。</translation>
    </message>
    <message>
        <source>All {n} bays are booked at {time}; choose another time.</source>
        <translation>{time} 的 {n} 个工位均已约满，请另选时间。</translation>
    </message>
    <message>
        <source>{date} is fully booked: {booked} of {capacity} workshop hours are taken and {free} are left, but this job needs {hours}.</source>
        <translation>{date} 已约满：车间 {capacity} 工时中已预约 {booked}，剩余 {free}，而该项目需要 {hours}。</translation>
    </message>
    <message>
        <source>Service advisor</source>
        <translation>服务顾问</translation>
    </message>
    <message>
        <source>{name} is not an active service advisor.</source>
        <translation>{name} 不是在岗的服务顾问。</translation>
    </message>
    <message>
        <source>Estimated hours</source>
        <translation>预计工时</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Requested work</source>
        <translation>预约项目</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>预约</translation>
    </message>
    <message>
        <source>This appointment is {status}; only a booked appointment can be changed.</source>
        <translation>该预约状态为“{status}”，只有已预约的才能修改。</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>The appointment at {time} has not begun yet; it cannot be a no-show.</source>
        <translation>{time} 的预约尚未开始，不能记为未到店。</translation>
    </message>
    <message>
        <source>Monday</source>
        <translation>星期一</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>星期二</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>星期三</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>星期四</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>星期五</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>星期六</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>星期日</translation>
    </message>
    <message>
        <source>{day}: the shop is closed.</source>
        <translation>{day}：本店休息。</translation>
    </message>
    <message>
        <source>{time} · full ({arrivals} booked)</source>
        <translation>{time} · 已满（已约 {arrivals} 个）</translation>
    </message>
    <message>
        <source>{time} · {advisors} of {n} advisors free · {bays} of {m} bays free</source>
        <translation>{time} · 服务顾问空闲 {advisors}/{n} · 工位空闲 {bays}/{m}</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>周一</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>周二</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>周三</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>周四</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>周五</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>周六</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>周日</translation>
    </message>
    <message>
        <source>Full ({n})</source>
        <translation>已约满（{n}）</translation>
    </message>
    <message>
        <source>{n} booked</source>
        <translation>已约 {n}</translation>
    </message>
    <message>
        <source>{time}: {advisors} advisors free, {bays} bays free</source>
        <translation>{time}：服务顾问空闲 {advisors} 名，工位空闲 {bays} 个</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>工时</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Repair order</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Order state</source>
        <translation>工单状态</translation>
    </message>
    <message>
        <source>Move appointment</source>
        <translation>改约</translation>
    </message>
    <message>
        <source>Book appointment</source>
        <translation>新建预约</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>&amp;Move</source>
        <translation>改约(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Book</source>
        <translation>预约(&amp;B)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Any advisor</source>
        <translation>任一服务顾问</translation>
    </message>
    <message>
        <source>No vehicle chosen yet.</source>
        <translation>尚未选择车辆。</translation>
    </message>
    <message>
        <source>No bookable time on this day</source>
        <translation>当天没有可预约的时间</translation>
    </message>
    <message>
        <source>Choose a time</source>
        <translation>请选择时间</translation>
    </message>
    <message>
        <source>{name} (booked at this time)</source>
        <translation>{name}（此时段已有预约）</translation>
    </message>
    <message>
        <source>Appointment booking</source>
        <translation>预约登记</translation>
    </message>
    <message>
        <source>A booking that was not saved ({time}) can be restored.</source>
        <translation>有一条未保存的预约（{time}），可以恢复。</translation>
    </message>
    <message>
        <source>Choose the customer and the vehicle first.</source>
        <translation>请先选择顾客和车辆。</translation>
    </message>
    <message>
        <source>Cancel appointment</source>
        <translation>取消预约</translation>
    </message>
    <message>
        <source>{time} {vehicle}, {customer}. The booked repair order {order} is cancelled too.</source>
        <translation>{time} {vehicle}，{customer}。预约时建立的工单 {order} 也一并取消。</translation>
    </message>
    <message>
        <source>Customer rescheduled</source>
        <translation>顾客改期</translation>
    </message>
    <message>
        <source>Customer cancelled by phone</source>
        <translation>顾客来电取消</translation>
    </message>
    <message>
        <source>Repair no longer needed</source>
        <translation>无需维修</translation>
    </message>
    <message>
        <source>Keep appointment</source>
        <translation>保留预约</translation>
    </message>
    <message>
        <source>Preparation list</source>
        <translation>接待准备清单</translation>
    </message>
    <message>
        <source>1 booked car · printed {time}</source>
        <translation>预约车辆 1 台 · 打印时间 {time}</translation>
    </message>
    <message>
        <source>{n} booked cars · printed {time}</source>
        <translation>预约车辆 {n} 台 · 打印时间 {time}</translation>
    </message>
    <message>
        <source>No booked cars on this day.</source>
        <translation>当天没有预约车辆。</translation>
    </message>
    <message>
        <source>From the service archive</source>
        <translation>服务档案提示</translation>
    </message>
    <message>
        <source>any advisor</source>
        <translation>任一服务顾问</translation>
    </message>
    <message>
        <source>VIN {vin} · {km} km · service advisor: {advisor} · order {order} · {hours} h</source>
        <translation>车架号 {vin} · {km} 公里 · 服务顾问：{advisor} · 工单 {order} · {hours} 工时</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>配件</translation>
    </message>
    <message>
        <source>Needed</source>
        <translation>需用</translation>
    </message>
    <message>
        <source>Reserved</source>
        <translation>已预留</translation>
    </message>
    <message>
        <source>In stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>可用</translation>
    </message>
    <message>
        <source>Short</source>
        <translation>缺件</translation>
    </message>
    <message>
        <source>No parts on the order yet; check stock for the booked work.</source>
        <translation>工单上还没有备品；请按预约项目确认备品供应。</translation>
    </message>
    <message>
        <source>Forms ready</source>
        <translation>表单已备好</translation>
    </message>
    <message>
        <source>Tools ready</source>
        <translation>工具已备好</translation>
    </message>
    <message>
        <source>Protective sets (seat cover, steering-wheel cover, floor mat) ready</source>
        <translation>三件套（座椅套、方向盘套、脚垫）已备好</translation>
    </message>
    <message>
        <source>Advisors free</source>
        <translation>空闲服务顾问</translation>
    </message>
    <message>
        <source>Bays free</source>
        <translation>空闲工位</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>星期</translation>
    </message>
    <message>
        <source>Shop closed</source>
        <translation>休息</translation>
    </message>
    <message>
        <source>Past slot</source>
        <translation>已过</translation>
    </message>
    <message>
        <source>Fully booked</source>
        <translation>已约满</translation>
    </message>
    <message>
        <source>Bookable</source>
        <translation>可预约</translation>
    </message>
    <message>
        <source>5,000 km service; brakes squeak</source>
        <translation>5000公里保养；刹车异响</translation>
    </message>
    <message>
        <source>Appointments</source>
        <translation>预约</translation>
    </message>
    <message>
        <source>{day}: {advisors} · {bays} · {appointments} · {booked} of {capacity} workshop hours booked, {free} free</source>
        <translation>{day}：{advisors} · {bays} · {appointments} · 车间工时已约 {booked} / {capacity}，剩余 {free}</translation>
    </message>
    <message>
        <source>1 service advisor</source>
        <translation>服务顾问 1 名</translation>
    </message>
    <message>
        <source>{n} service advisors</source>
        <translation>服务顾问 {n} 名</translation>
    </message>
    <message>
        <source>1 bay</source>
        <translation>工位 1 个</translation>
    </message>
    <message>
        <source>{n} bays</source>
        <translation>工位 {n} 个</translation>
    </message>
    <message>
        <source>1 appointment</source>
        <translation>预约 1 个</translation>
    </message>
    <message>
        <source>{n} appointments</source>
        <translation>预约 {n} 个</translation>
    </message>
    <message>
        <source>Booked hours</source>
        <translation>已约工时</translation>
    </message>
    <message>
        <source>Workshop hours</source>
        <translation>车间工时</translation>
    </message>
    <message>
        <source>Free hours</source>
        <translation>剩余工时</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>负荷</translation>
    </message>
    <message>
        <source>Your roles do not allow this.</source>
        <translation>您的角色无权执行此操作。</translation>
    </message>
    <message>
        <source>{day}: 1 car expected, {waiting} not arrived yet.</source>
        <translation>{day}：预计到店 1 台，尚未到店 {waiting} 台。</translation>
    </message>
    <message>
        <source>{day}: {n} cars expected, {waiting} not arrived yet.</source>
        <translation>{day}：预计到店 {n} 台，尚未到店 {waiting} 台。</translation>
    </message>
    <message>
        <source>1 booked car, {short} with parts short</source>
        <translation>预约车辆 1 台，其中 {short} 台缺件</translation>
    </message>
    <message>
        <source>{n} booked cars, {short} with parts short</source>
        <translation>预约车辆 {n} 台，其中 {short} 台缺件</translation>
    </message>
    <message>
        <source>Partly booked</source>
        <translation>部分已约</translation>
    </message>
    <message>
        <source>Booked: {vehicle} on {date} at {time} (order {order}).</source>
        <translation>已预约：{vehicle}，{date} {time}（工单 {order}）。</translation>
    </message>
    <message>
        <source>Moved: {vehicle} now on {date} at {time}.</source>
        <translation>已改约：{vehicle} 改到 {date} {time}。</translation>
    </message>
    <message>
        <source>Cancelled: {vehicle} at {time}.</source>
        <translation>已取消：{vehicle}，{time}。</translation>
    </message>
    <message>
        <source>Mark {vehicle} ({customer}, {time}) as not come? The booked order is cancelled; this cannot be undone.</source>
        <translation>将 {vehicle}（{customer}，{time}）标记为未到店？预约的工单将被取消，此操作不可撤销。</translation>
    </message>
    <message>
        <source>Mark as no-show</source>
        <translation>标记为未到店</translation>
    </message>
    <message>
        <source>{vehicle} marked as no-show.</source>
        <translation>{vehicle} 已标记为未到店。</translation>
    </message>
    <message>
        <source>Check in {vehicle} at Reception (order {order}).</source>
        <translation>请在“接车”中为 {vehicle} 办理接车（工单 {order}）。</translation>
    </message>
    <message>
        <source>{title} sent to the printer.</source>
        <translation>{title} 已发送到打印机。</translation>
    </message>
    <message>
        <source>Preparation list {day}</source>
        <translation>接待准备清单 {day}</translation>
    </message>
    <message>
        <source>Appointments {day}</source>
        <translation>预约清单 {day}</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Saved as {path}.</source>
        <translation>已保存为 {path}。</translation>
    </message>
</context>
<context>
    <name>AppointmentsPageForm</name>
    <message>
        <source>Previous day (Alt+Left)</source>
        <translation>前一天 (Alt+←)</translation>
    </message>
    <message>
        <source>Next day (Alt+Right)</source>
        <translation>后一天 (Alt+→)</translation>
    </message>
    <message>
        <source>&amp;Today</source>
        <translation>今天(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Book…</source>
        <translation>预约(&amp;B)…</translation>
    </message>
    <message>
        <source>Book an appointment (Ctrl+N)</source>
        <translation>新建预约 (Ctrl+N)</translation>
    </message>
    <message>
        <source>&amp;Move…</source>
        <translation>改约(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Cancel appointment…</source>
        <translation>取消预约(&amp;C)…</translation>
    </message>
    <message>
        <source>No-&amp;show</source>
        <translation>未到店(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Day</source>
        <translation>日视图(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Week</source>
        <translation>周视图(&amp;W)</translation>
    </message>
    <message>
        <source>Double-click a day to open it, or a free slot to book it.</source>
        <translation>双击某一天可打开该日，双击空闲时段可直接预约。</translation>
    </message>
    <message>
        <source>&amp;Arrivals</source>
        <translation>到店(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Print list…</source>
        <translation>打印清单(&amp;P)…</translation>
    </message>
    <message>
        <source>Check &amp;in</source>
        <translation>接车(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Preparation list</source>
        <translation>接待准备清单(&amp;P)</translation>
    </message>
    <message>
        <source>For &amp;day</source>
        <translation>日期(&amp;D)</translation>
    </message>
    <message>
        <source>Save as P&amp;DF…</source>
        <translation>另存为 PDF(&amp;D)…</translation>
    </message>
    <message>
        <source>P&amp;rint…</source>
        <translation>打印(&amp;R)…</translation>
    </message>
</context>
<context>
    <name>Approvals</name>
    <message>
        <source>refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>void of a settlement</source>
        <translation>结算作废</translation>
    </message>
    <message>
        <source>return</source>
        <translation>退货</translation>
    </message>
    <message>
        <source>discount over the limit</source>
        <translation>超限折扣</translation>
    </message>
    <message>
        <source>warranty write-off</source>
        <translation>索赔核销</translation>
    </message>
    <message>
        <source>credit (on account) over the limit</source>
        <translation>超额挂账</translation>
    </message>
    <message>
        <source>Kind of approval</source>
        <translation>审批类型</translation>
    </message>
    <message>
        <source>Name the repair order the {kind} is for.</source>
        <translation>请写明{kind}所属的维修工单。</translation>
    </message>
    <message>
        <source>Give the amount of the {kind}: the approval allows at most that.</source>
        <translation>请填写{kind}的金额：审批最多只允许该金额。</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Order {number} has no settlement to void.</source>
        <translation>工单 {number} 没有可作废的结算单。</translation>
    </message>
    <message>
        <source>Approval</source>
        <extracomment>Who may decide approvals: the general manager, and the deputy approver a shop with one manager appoints so that the manager's own requests can be decided (four eyes).</extracomment>
        <translation>审批</translation>
    </message>
    <message>
        <source>This approval was decided already ({state}).</source>
        <translation>该审批已处理（{state}）。</translation>
    </message>
    <message>
        <source>You asked for this approval yourself, so you cannot approve it: four eyes are needed. Another manager or the deputy approver decides it.</source>
        <translation>这项审批是您本人申请的，您不能自己批准：需要第二人复核。请由另一位经理或副审批人审批。</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>{what} of {amount}</source>
        <translation>{what}（{amount}）</translation>
    </message>
    <message>
        <source>{what} on order {number}</source>
        <translation>工单 {number} 的{what}</translation>
    </message>
    <message>
        <source>The {what} waits for the general manager's approval.</source>
        <translation>{what}正在等待总经理审批。</translation>
    </message>
    <message>
        <source>The {what} needs the general manager's approval: request it first.</source>
        <translation>{what}需要总经理审批：请先提交审批申请。</translation>
    </message>
    <message>
        <source>This approval is for something else ({kind}).</source>
        <translation>该审批用于其他事项（{kind}）。</translation>
    </message>
    <message>
        <source>This approval cannot be used: it is {state}.</source>
        <translation>该审批不可使用：状态为 {state}。</translation>
    </message>
    <message>
        <source>The approval allows at most {approved}, not {amount}: ask the general manager for an approval of {amount}.</source>
        <translation>该审批最多允许 {approved}，而不是 {amount}：请向总经理申请 {amount} 的审批。</translation>
    </message>
    <message>
        <source>The approved {kind} allows at most {approved}, not {amount}: ask the general manager for an approval of {amount}.</source>
        <translation>已批准的{kind}最多允许 {approved}，而不是 {amount}：请向总经理申请 {amount} 的审批。</translation>
    </message>
</context>
<context>
    <name>Archive</name>
    <message>
        <source>{number} · {kind} · {dates} · {state} · {report}</source>
        <extracomment>A visit counts once the car has been given back to the customer.</extracomment>
        <translation>{number} · {kind} · {dates} · {state} · {report}</translation>
    </message>
    <message>
        <source>service report not handed in</source>
        <translation>售后服务报告单未交</translation>
    </message>
    <message>
        <source>service report incomplete</source>
        <translation>售后服务报告单不完整</translation>
    </message>
    <message>
        <source>service report complete, survey missing</source>
        <translation>售后服务报告单完整，缺满意度调查表</translation>
    </message>
    <message>
        <source>service report and survey complete</source>
        <translation>售后服务报告单与满意度调查表齐全</translation>
    </message>
    <message>
        <source>Declined earlier: {work}</source>
        <extracomment>Field jobs for this car (a breakdown towed in links to the repair order it became).</extracomment>
        <translation>此前顾客拒绝：{work}</translation>
    </message>
    <message>
        <source>(safety-relevant)</source>
        <translation>（涉及安全）</translation>
    </message>
    <message>
        <source>Open complaint {number}: {text}</source>
        <translation>未结投诉 {number}：{text}</translation>
    </message>
    <message>
        <source>Maintenance is due (at {km} km).</source>
        <translation>保养已到期（{km} 公里）。</translation>
    </message>
    <message>
        <source>Maintenance is due soon (at {km} km).</source>
        <translation>即将到保养时间（{km} 公里）。</translation>
    </message>
    <message>
        <source>Next maintenance at {km} km.</source>
        <translation>下次保养：{km} 公里。</translation>
    </message>
    <message>
        <source>Maintenance is due (at {km} km or on {date}).</source>
        <translation>保养已到期（{km} 公里或 {date}）。</translation>
    </message>
    <message>
        <source>Maintenance is due soon (at {km} km or on {date}).</source>
        <translation>即将到保养时间（{km} 公里或 {date}）。</translation>
    </message>
    <message>
        <source>Next maintenance at {km} km or on {date}.</source>
        <translation>下次保养：{km} 公里或 {date}。</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Last visit {number} was {days} days ago ({date}); the same problem again would be a comeback.</source>
        <translation>上次进店 {number} 在 {days} 天前（{date}）；如为同一问题则属返修。</translation>
    </message>
</context>
<context>
    <name>Auth</name>
    <message>
        <source>A PIN must have 4 to 64 characters.</source>
        <extracomment>Audit actions: the alert managers see, and a manager's note that they saw them. The audit entity of tries for logins that do not exist (named by the login as typed).</extracomment>
        <translation>密码（PIN）须为 4 到 64 个字符。</translation>
    </message>
    <message>
        <source>Too many wrong PINs for {name}: the PIN is locked for {n} more minutes. The general manager has been alerted.</source>
        <translation>{name} 的 PIN 输错次数过多：PIN 已锁定，还需 {n} 分钟。已通知总经理。</translation>
    </message>
    <message>
        <source>Wrong PIN. After {n} wrong PINs in a row the PIN is locked for a while, longer each time.</source>
        <translation>PIN 错误。连续输错 {n} 次后 PIN 将被锁定一段时间，每次锁定时间更长。</translation>
    </message>
    <message>
        <source>{when}: {name} locked out after {n} wrong PINs in a row ({purpose}).</source>
        <translation>{when}：{name} 连续输错 {n} 次 PIN，已被锁定（{purpose}）。</translation>
    </message>
    <message>
        <source>{when}: {n} wrong PINs in a row for {name} ({purpose}).</source>
        <translation>{when}：{name} 连续输错 {n} 次 PIN（{purpose}）。</translation>
    </message>
    <message>
        <source>sign-in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>approving</source>
        <translation>审批</translation>
    </message>
    <message>
        <source>refusing an approval</source>
        <translation>驳回审批</translation>
    </message>
    <message>
        <source>Wrong PIN. {n} tries left before the account is locked.</source>
        <translation>密码错误。再错 {n} 次账号将被锁定。</translation>
    </message>
</context>
<context>
    <name>AuthorisationPanel</name>
    <message>
        <source>Additional work waiting for the customer's authorisation</source>
        <translation>等待顾客授权的增项</translation>
    </message>
    <message>
        <source>The customer's decision</source>
        <translation>顾客的决定</translation>
    </message>
    <message>
        <source>Authorise &amp;all</source>
        <translation>全部授权(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Decline all</source>
        <translation>全部拒绝(&amp;D)</translation>
    </message>
    <message>
        <source>How the customer decided:</source>
        <translation>顾客授权方式：</translation>
    </message>
    <message>
        <source>In &amp;person</source>
        <translation>当面(&amp;P)</translation>
    </message>
    <message>
        <source>By p&amp;hone</source>
        <translation>电话(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Signature on screen</source>
        <translation>屏幕签字(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Who authorised:</source>
        <translation>授权人(&amp;W)：</translation>
    </message>
    <message>
        <source>Name of the person who decided</source>
        <translation>作出决定的人的姓名</translation>
    </message>
    <message>
        <source>&amp;Record the decision</source>
        <translation>记录顾客决定(&amp;R)</translation>
    </message>
    <message>
        <source>&lt;b&gt;Decided recently&lt;/b&gt; (declined lines stay on record as declined)</source>
        <translation>&lt;b&gt;近期已决定&lt;/b&gt;（顾客拒绝的项目作为“已拒绝”保留在记录中）</translation>
    </message>
    <message>
        <source>&amp;Customer pays declined work…</source>
        <translation>顾客自付拒赔项目(&amp;C)…</translation>
    </message>
    <message>
        <source>The insurer declined lines of the chosen supplementary assessment: record that the customer agreed to pay them</source>
        <translation>保险公司拒赔了所选追加定损中的项目：登记顾客同意自付</translation>
    </message>
</context>
<context>
    <name>Background</name>
    <message>
        <source>{what} could not be read just now. Press F5 to try again; if it keeps happening, tell the person who looks after the computers (the details are in the log).</source>
        <extracomment>``work(progress)``: ``progress(done, total)`` may be called from the pool thread.</extracomment>
        <translation>{what}暂时无法读取。请按 F5 重试；如果一直出现，请告知负责电脑的人员（详情已记入日志）。</translation>
    </message>
</context>
<context>
    <name>Backup</name>
    <message>
        <source>The database stayed locked by another program for {seconds} seconds; {what} Close the other program and try again.</source>
        <extracomment>Seconds a backup waits for a source that stays locked (another program holding it exclusively) before it gives up with a message; SQLite's own loop would wait for ever.</extracomment>
        <translation>数据库被另一个程序锁定了 {seconds} 秒；{what}请关闭那个程序后重试。</translation>
    </message>
    <message>
        <source>The disk of {folder} is full; {what} Free some space and try again.</source>
        <translation>{folder} 所在的磁盘已满；{what}请腾出一些空间后重试。</translation>
    </message>
    <message>
        <source>The folder {folder} cannot be written to (it is read-only, or this user may not write there); {what}</source>
        <translation>无法写入文件夹 {folder}（它是只读的，或者当前用户无权写入）；{what}</translation>
    </message>
    <message>
        <source>{folder} could not be written ({error}); {what}</source>
        <translation>无法写入 {folder}（{error}）；{what}</translation>
    </message>
    <message>
        <source>no backup was saved.</source>
        <translation>没有保存任何备份。</translation>
    </message>
    <message>
        <source>nothing was restored and the database is unchanged.</source>
        <translation>未做任何恢复，数据库没有改动。</translation>
    </message>
    <message>
        <source>the file is not a shop-desk database</source>
        <translation>该文件不是 shop-desk 数据库</translation>
    </message>
    <message>
        <source>The database {path} does not exist.</source>
        <translation>数据库 {path} 不存在。</translation>
    </message>
    <message>
        <source>The backup file {path} does not exist.</source>
        <translation>备份文件 {path} 不存在。</translation>
    </message>
    <message>
        <source>The backup {path} is damaged ({error}); nothing was restored.</source>
        <translation>备份 {path} 已损坏（{error}），未做任何恢复。</translation>
    </message>
    <message>
        <source>The backup {path} has no readable checksum ({sums}), so it cannot be verified; nothing was restored. (A backup taken before shop-desk kept checksums is restored with: shop-desk restore --no-checksum FILE)</source>
        <translation>备份 {path} 没有可读的校验和（{sums}），无法验证，未做任何恢复。（shop-desk 开始保存校验和之前的备份，请用 shop-desk restore --no-checksum 文件 恢复）</translation>
    </message>
    <message>
        <source>The backup {path} does not match its checksum: it was changed or damaged after it was taken. Nothing was restored.</source>
        <translation>备份 {path} 与其校验和不符：备份之后它被改动或损坏了。未做任何恢复。</translation>
    </message>
    <message>
        <source>The backup {path} was made by a newer version of shop-desk (schema {found}, this program knows up to {latest}); nothing was restored. Update shop-desk on this PC first.</source>
        <translation>备份 {path} 由较新版本的 shop-desk 生成（数据结构 {found}，本程序最多支持 {latest}），未做任何恢复。请先更新这台电脑上的 shop-desk。</translation>
    </message>
</context>
<context>
    <name>Backups</name>
    <message>
        <source>Taken at</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <source>Size (MB)</source>
        <translation>大小（MB）</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <source>Restore the selected backup…</source>
        <translation>恢复所选备份…</translation>
    </message>
    <message>
        <source>Backups are taken automatically when shop-desk starts and every day while it runs; the newest of each of the last 14 days and 12 months are kept. Before restoring, close shop-desk on every other PC.</source>
        <translation>shop-desk 启动时以及运行期间每天都会自动备份；保留最近 14 天每天和最近 12 个月每月的最新备份。恢复之前，请关闭其他所有电脑上的 shop-desk。</translation>
    </message>
    <message>
        <source>Last backup: {when} ({file}) in {folder}</source>
        <translation>上次备份：{when}（{file}），位于 {folder}</translation>
    </message>
    <message>
        <source>No backup yet in {folder}.</source>
        <translation>{folder} 中还没有备份。</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>This database is backed up on the server.</source>
        <translation>此数据库在服务器上备份。</translation>
    </message>
    <message>
        <source>Backup saved: {path}</source>
        <translation>备份已保存：{path}</translation>
    </message>
    <message>
        <source>Backup failed</source>
        <translation>备份失败</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Choose a backup in the list first.</source>
        <translation>请先在列表中选择一个备份。</translation>
    </message>
    <message>
        <source>Replace the shop database with the backup of {when}? Everything entered after that time is taken out (the current database is kept aside as a file). Close shop-desk on every other PC first.</source>
        <translation>用 {when} 的备份替换门店数据库？此后录入的所有内容都将被移除（当前数据库会另存为文件）。请先关闭其他所有电脑上的 shop-desk。</translation>
    </message>
    <message>
        <source>The backup is restored. The previous database is kept as {path}.</source>
        <translation>备份已恢复。原数据库已另存为 {path}。</translation>
    </message>
</context>
<context>
    <name>BoardCards</name>
    <message>
        <source>Urgent</source>
        <extracomment>MIME type of a card being dragged (JSON: order_id, number, state, skills). States whose order can be dispatched (first time) or reassigned to another team. Minutes before the promised time from which a card is shown as "due soon". One colour per workshop state (board column headers, TV display state pills).</extracomment>
        <translation>紧急</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>普通</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>{d} d {h} h</source>
        <translation>{d}天{h}小时</translation>
    </message>
    <message>
        <source>{h} h {m:02d} min</source>
        <translation>{h}小时{m:02d}分</translation>
    </message>
    <message>
        <source>{m} min</source>
        <translation>{m}分钟</translation>
    </message>
    <message>
        <source>No promised time</source>
        <translation>无预计完工时间</translation>
    </message>
    <message>
        <source>Overdue {time}</source>
        <translation>已超时 {time}</translation>
    </message>
    <message>
        <source>{time} left</source>
        <translation>剩余 {time}</translation>
    </message>
    <message>
        <source>Arrived {time} late</source>
        <translation>迟到 {time} 到达</translation>
    </message>
    <message>
        <source>Arrived on time</source>
        <translation>按时到达</translation>
    </message>
    <message>
        <source>Late by {time}, not on site yet</source>
        <translation>已超时 {time}，尚未到达现场</translation>
    </message>
    <message>
        <source>Due on site in {time}</source>
        <translation>{time} 后须到达现场</translation>
    </message>
    <message>
        <source>Customer in lounge</source>
        <translation>顾客在休息区等候</translation>
    </message>
    <message>
        <source>Warranty pending</source>
        <translation>待厂家审批</translation>
    </message>
    <message>
        <source>Comeback</source>
        <translation>返修</translation>
    </message>
    <message>
        <source>Additional work</source>
        <translation>增项</translation>
    </message>
    <message>
        <source>Rework ×{n}</source>
        <translation>返工 ×{n}</translation>
    </message>
    <message>
        <source>Not dispatched</source>
        <translation>未派工</translation>
    </message>
    <message>
        <source>Enter: open · D: dispatch or reassign · Space: details · arrow keys: next card</source>
        <translation>回车：打开 · D：派工或改派 · 空格：详情 · 方向键：下一张卡片</translation>
    </message>
    <message>
        <source>Order {number}</source>
        <translation>工单 {number}</translation>
    </message>
    <message>
        <source>Advisor: {name}</source>
        <translation>服务顾问：{name}</translation>
    </message>
    <message>
        <source>Priority: {p}</source>
        <translation>派工优先度：{p}</translation>
    </message>
</context>
<context>
    <name>Certifications</name>
    <message>
        <source>Withdrawn</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <source>Not yet valid</source>
        <translation>尚未生效</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>{field} must be a date.</source>
        <translation>{field}必须是日期。</translation>
    </message>
    <message>
        <source>Certified on</source>
        <translation>培训合格日期</translation>
    </message>
    <message>
        <source>Expires on</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>The certification cannot expire ({expires}) before it was given ({certified}).</source>
        <translation>上岗培训的有效期（{expires}）不能早于合格日期（{certified}）。</translation>
    </message>
    <message>
        <source>The {skill} certification of {name} was withdrawn; record a new one instead.</source>
        <translation>{name}的{skill}上岗培训已撤销；请重新登记一条。</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>员工</translation>
    </message>
    <message>
        <source>Skill</source>
        <translation>技能</translation>
    </message>
    <message>
        <source>Issued by</source>
        <translation>发证单位</translation>
    </message>
    <message>
        <source>Certificate number or note</source>
        <translation>证书编号或备注</translation>
    </message>
    <message>
        <source>Say who issued the certification (the training course) or give its certificate number.</source>
        <translation>请填写发证单位（培训课程）或证书编号。</translation>
    </message>
    <message>
        <source>{name} already has a {skill} certification. Renew that one instead.</source>
        <translation>{name}已有{skill}上岗培训，请对其续期。</translation>
    </message>
    <message>
        <source>Certification</source>
        <translation>上岗培训</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>No expiry</source>
        <translation>长期有效</translation>
    </message>
    <message>
        <source>{note} — withdrawn: {reason}</source>
        <translation>{note}——已撤销：{reason}</translation>
    </message>
    <message>
        <source>New certification for {name}</source>
        <translation>登记{name}的上岗培训</translation>
    </message>
    <message>
        <source>training course or issuing body</source>
        <translation>培训课程或发证单位</translation>
    </message>
    <message>
        <source>Renew the {skill} certification of {name}</source>
        <translation>为{name}的{skill}上岗培训续期</translation>
    </message>
    <message>
        <source>Renew</source>
        <translation>续期</translation>
    </message>
    <message>
        <source>Withdraw the {skill} certification of {name}</source>
        <translation>撤销{name}的{skill}上岗培训</translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>From now on dispatch treats the skill as missing for this person. The certification stays listed for history.</source>
        <translation>从现在起派工时视此人缺少该技能的上岗培训。该记录保留备查。</translation>
    </message>
    <message>
        <source>Certifications of {name}</source>
        <translation>{name}的上岗培训</translation>
    </message>
    <message>
        <source>Dispatch checks these: a technician without a valid certification for a skill of the job needs the supervisor's reason to be given the job.</source>
        <translation>派工时核对：维修技师缺少作业所需技能的有效上岗培训时，须由车间主管填写原因才能派工。</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>添加(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Renew…</source>
        <translation>续期(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Withdraw…</source>
        <translation>撤销(&amp;W)…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>The {skill} certification of {name} is recorded.</source>
        <translation>{name}的{skill}上岗培训已登记。</translation>
    </message>
    <message>
        <source>The {skill} certification of {name} is renewed.</source>
        <translation>{name}的{skill}上岗培训已续期。</translation>
    </message>
    <message>
        <source>The {skill} certification of {name} is withdrawn.</source>
        <translation>{name}的{skill}上岗培训已撤销。</translation>
    </message>
</context>
<context>
    <name>Checkout</name>
    <message>
        <source>Cannot {what}: order {number} is {state}; this is possible only when it is {allowed}.</source>
        <translation>无法{what}：工单 {number} 当前为“{state}”，仅在“{allowed}”时可以进行。</translation>
    </message>
    <message>
        <source>The check items must be ticked yes or no.</source>
        <translation>检查项目必须勾选“是”或“否”。</translation>
    </message>
    <message>
        <source>Unknown check item: {items}.</source>
        <translation>未知的检查项：{items}。</translation>
    </message>
    <message>
        <source>Fault gone (test drive if needed)</source>
        <translation>故障已消除（必要时试车）</translation>
    </message>
    <message>
        <source>Old parts present for the customer</source>
        <translation>旧件已备好交顾客</translation>
    </message>
    <message>
        <source>Old parts kept for the shop's disposal, none left in the car</source>
        <translation>旧件留店处理，车内无遗留旧件</translation>
    </message>
    <message>
        <source>Car clean inside</source>
        <translation>车内清洁</translation>
    </message>
    <message>
        <source>Car clean outside</source>
        <translation>车外清洁</translation>
    </message>
    <message>
        <source>No rags, tools, nuts or bolts left in the car</source>
        <translation>车内无遗留抹布、工具、螺母、螺栓</translation>
    </message>
    <message>
        <source>work not done: {lines} — the workshop supervisor sends the car back to the workshop</source>
        <translation>维修未完成：{lines} —— 请车间主管将车辆退回车间</translation>
    </message>
    <message>
        <source>no passed final inspection</source>
        <translation>无合格的总检</translation>
    </message>
    <message>
        <source>do the internal delivery check</source>
        <translation>进行内部交车检查</translation>
    </message>
    <message>
        <source>Every item on the task order done and QC-signed ({why})</source>
        <translation>任务委托书所有项目已完成并经质检签字（{why}）</translation>
    </message>
    <message>
        <source>The internal delivery check of order {number} is not complete: {items}.</source>
        <translation>工单 {number} 的内部交车检查未完成：{items}。</translation>
    </message>
    <message>
        <source>notify the customer</source>
        <translation>通知顾客</translation>
    </message>
    <message>
        <source>How the customer was told</source>
        <translation>通知方式</translation>
    </message>
    <message>
        <source>Give the agreed pickup date and time.</source>
        <translation>请填写约定的交车日期和时间。</translation>
    </message>
    <message>
        <source>The pickup time is in the past.</source>
        <translation>约定交车时间已过。</translation>
    </message>
    <message>
        <source>Order {number} is a major repair or an accident car: avoid handing it over at peak hours ({hours}).</source>
        <translation>工单 {number} 为大修车或事故车：请避免在高峰时间（{hours}）交车。</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Recommended work</source>
        <translation>建议维修项目</translation>
    </message>
    <message>
        <source>Recommendation</source>
        <translation>建议维修项目</translation>
    </message>
    <message>
        <source>The signature must be a PNG image.</source>
        <translation>签名须为 PNG 图片。</translation>
    </message>
    <message>
        <source>Work explained against the task order and check-in sheet</source>
        <translation>已依据任务委托书和接车登记表说明维修内容</translation>
    </message>
    <message>
        <source>Old parts shown to the customer</source>
        <translation>已向顾客展示旧件</translation>
    </message>
    <message>
        <source>Spare wheel and tool kit checked</source>
        <translation>备胎、随车工具已检查</translation>
    </message>
    <message>
        <source>Car shown clean inside and out</source>
        <translation>已向顾客展示车辆内外清洁</translation>
    </message>
    <message>
        <source>Service booklet (保养手册), care and usage advice explained</source>
        <translation>已讲解保养手册及用车、保养建议</translation>
    </message>
    <message>
        <source>Protective set removed in front of the customer</source>
        <translation>已当顾客面取下三件套</translation>
    </message>
    <message>
        <source>deliver</source>
        <translation>交车</translation>
    </message>
    <message>
        <source>No delivery before a passed final inspection: order {number} has none.</source>
        <translation>总检合格前不能交车：工单 {number} 尚无合格的总检。</translation>
    </message>
    <message>
        <source>Do the internal delivery check of order {number} before the delivery.</source>
        <translation>交车前请先完成工单 {number} 的内部交车检查。</translation>
    </message>
    <message>
        <source>The return slip {slips} of order {number} waits for the technician's signature: the car is handed over after it is signed.</source>
        <translation>维修单 {number} 的退料单 {slips} 尚待技师签字：签字后才能交车。</translation>
    </message>
    <message>
        <source>Tell the customer that order {number} is ready and agree the pickup time (Notify customer) before the delivery.</source>
        <translation>交车前请先通知顾客维修单 {number} 已完工并约定取车时间（通知顾客）。</translation>
    </message>
    <message>
        <source>The delivery with the customer is not complete: {items}.</source>
        <translation>陪同验车未完成：{items}。</translation>
    </message>
    <message>
        <source>The next service date must be a day after today.</source>
        <translation>下次保养时间须晚于今天。</translation>
    </message>
    <message>
        <source>Next service mileage</source>
        <translation>下次保养里程</translation>
    </message>
    <message>
        <source>Follow-up call time</source>
        <translation>方便回访时间</translation>
    </message>
    <message>
        <source>First free service must be yes or no.</source>
        <translation>首保须选择是或否。</translation>
    </message>
    <message>
        <source>Discount</source>
        <extracomment>an insured order: who pays the insurance lines (the customer's part is in ``customer_total``, the insurer's part is a receivable from the insurer)</extracomment>
        <translation>折扣</translation>
    </message>
    <message>
        <source>Job line</source>
        <translation>维修项目</translation>
    </message>
    <message>
        <source>This line belongs to another order.</source>
        <translation>该项目属于其他工单。</translation>
    </message>
    <message>
        <source>Only authorised lines the customer pays can be discounted.</source>
        <translation>只有已授权且由顾客付费的项目可以打折。</translation>
    </message>
    <message>
        <source>The discount is more than the line's amount {amount}.</source>
        <translation>折扣超过该项目金额 {amount}。</translation>
    </message>
    <message>
        <source>The discount is more than the customer's total {amount}.</source>
        <translation>折扣超过顾客应付合计 {amount}。</translation>
    </message>
    <message>
        <source>take a payment</source>
        <translation>收款</translation>
    </message>
    <message>
        <source>Payment method</source>
        <translation>付费方式</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>{amount} is more than the {due} still due on order {number}.</source>
        <translation>{amount} 超过工单 {number} 尚欠的 {due}。</translation>
    </message>
    <message>
        <source>Cash handed over</source>
        <translation>实收现金</translation>
    </message>
    <message>
        <source>The cash handed over ({tendered}) is less than the amount {amount}.</source>
        <translation>实收现金（{tendered}）少于收款金额 {amount}。</translation>
    </message>
    <message>
        <source>{customer} has {available} of credit left.</source>
        <translation>{customer} 剩余挂账额度为 {available}。</translation>
    </message>
    <message>
        <source>On account is for company customers.</source>
        <translation>挂账仅适用于单位客户。</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>交易凭证号</translation>
    </message>
    <message>
        <source>settle</source>
        <translation>结算</translation>
    </message>
    <message>
        <source>Additional work is not authorised yet ({lines}): record the customer's decision before settling; unauthorised work is never charged.</source>
        <translation>增项尚未获授权（{lines}）：结算前请记录顾客意见；未经授权的项目不予收费。</translation>
    </message>
    <message>
        <source>A supplementary assessment is not approved by the insurer yet ({lines}): record the insurer's answer before settling; unapproved work is never charged.</source>
        <translation>追加定损尚未获保险公司核准（{lines}）：请先记录保险公司的答复再结算；未核准的项目一律不收费。</translation>
    </message>
    <message>
        <source>Safety-relevant recommended work needs the customer's decision, and a declined item the customer's signature, before settling: {items}.</source>
        <translation>涉及安全的建议维修项目须在结算前取得顾客意见，顾客拒绝维修的须签字：{items}。</translation>
    </message>
    <message>
        <source>{due} is still due on order {number}: take the payment or put it on account first.</source>
        <translation>工单 {number} 尚欠 {due}：请先收款或挂账。</translation>
    </message>
    <message>
        <source>{excess} more was paid than order {number} costs: refund it first (needs the general manager's approval).</source>
        <translation>工单 {number} 多收了 {excess}：请先退款（需总经理审批）。</translation>
    </message>
    <message>
        <source>Order {number} is {state}: only a settled order whose car has not left can be voided.</source>
        <translation>工单 {number} 当前为“{state}”：只有已结算且车辆尚未出门的工单可以作废结算。</translation>
    </message>
    <message>
        <source>Only {paid} was paid on order {number}; a refund cannot be more.</source>
        <translation>工单 {number} 仅收款 {paid}，退款不能超过此数。</translation>
    </message>
    <message>
        <source>Give the day of the takings.</source>
        <translation>请填写收款汇总的日期。</translation>
    </message>
    <message>
        <source>Could not make a unique gate pass code; please try again.</source>
        <translation>无法生成唯一的出门证校验码，请重试。</translation>
    </message>
    <message>
        <source>issue a gate pass</source>
        <translation>开具出门证</translation>
    </message>
    <message>
        <source>Order {number} has a gate pass already; reprint that one.</source>
        <translation>工单 {number} 已有出门证，请补打该证。</translation>
    </message>
    <message>
        <source>Gate pass {number} was voided: the car may not leave with it.</source>
        <translation>出门证 {number} 已作废：凭此证车辆不得出门。</translation>
    </message>
    <message>
        <source>No valid gate pass {code}: the car may not leave.</source>
        <translation>出门证 {code} 无效：车辆不得出门。</translation>
    </message>
    <message>
        <source>{plate} {model}: order {order}, gate pass {number}</source>
        <translation>{plate} {model}：工单 {order}，出门证 {number}</translation>
    </message>
    <message>
        <source>{code} matches several cars with a valid gate pass ({cars}). Scan the customer's gate pass or type its number.</source>
        <translation>{code} 对应多辆持有效出门证的车辆（{cars}）。请扫描顾客的出门证或输入出门证号。</translation>
    </message>
    <message>
        <source>Gate pass {number} was used already at {when}: the car may not leave again.</source>
        <translation>出门证 {number} 已于 {when} 使用：车辆不得再次出门。</translation>
    </message>
</context>
<context>
    <name>CheckoutCheckStep</name>
    <message>
        <source>Before the customer is called: check the car yourself. The work record is filled in from the workshop; tick what you checked on the car.</source>
        <translation>通知顾客之前，请亲自检查车辆。维修记录由车间自动带入；请勾选您在车上检查过的项目。</translation>
    </message>
    <message>
        <source>From the record: every item on the task order done and QC-signed</source>
        <translation>根据记录：任务委托书上的每一项均已完工并经质检签字</translation>
    </message>
    <message>
        <source>Job lines</source>
        <translation>维修项目</translation>
    </message>
    <message>
        <source>Checked on the car</source>
        <translation>车辆实查</translation>
    </message>
    <message>
        <source>&amp;Record delivery check</source>
        <translation>记录内部交车检查(&amp;R)</translation>
    </message>
</context>
<context>
    <name>CheckoutDeliveryStep</name>
    <message>
        <source>Work to explain (against the task order)</source>
        <translation>需向顾客说明的项目（对照任务委托书）</translation>
    </message>
    <message>
        <source>Work done</source>
        <translation>维修项目</translation>
    </message>
    <message>
        <source>Recommended work</source>
        <translation>建议维修项目</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>添加(&amp;A)…</translation>
    </message>
    <message>
        <source>A&amp;ccepted</source>
        <translation>顾客接受(&amp;C)</translation>
    </message>
    <message>
        <source>De&amp;clined…</source>
        <translation>顾客拒绝(&amp;C)…</translation>
    </message>
    <message>
        <source>Customer &amp;signs…</source>
        <translation>顾客签字(&amp;S)…</translation>
    </message>
    <message>
        <source>At the car with the customer</source>
        <translation>陪同顾客验车</translation>
    </message>
    <message>
        <source>Next service</source>
        <translation>下次保养</translation>
    </message>
    <message>
        <source>&amp;Date</source>
        <translation>日期(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Mileage (km)</source>
        <translation>里程（公里）(&amp;M)</translation>
    </message>
    <message>
        <source>Use the shop's rule</source>
        <translation>按本店规则计算</translation>
    </message>
    <message>
        <source>Follow-up call</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Tell the customer a follow-up call comes within 3 days. When suits them?</source>
        <translation>告知顾客 3 天内会有回访电话，并询问方便的时间。</translation>
    </message>
    <message>
        <source>e.g. 18:00-20:00 or weekday evenings</source>
        <translation>例如 18:00-20:00 或工作日晚上</translation>
    </message>
    <message>
        <source>&amp;Hand over the car</source>
        <translation>交车(&amp;H)</translation>
    </message>
</context>
<context>
    <name>CheckoutGateStep</name>
    <message>
        <source>Gate pass</source>
        <translation>出门证</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Check code</source>
        <translation>校验码</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>开具</translation>
    </message>
    <message>
        <source>At the gate</source>
        <translation>门岗状态</translation>
    </message>
    <message>
        <source>Next service</source>
        <translation>下次保养</translation>
    </message>
    <message>
        <source>Follow-up call</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>&amp;Issue gate pass</source>
        <translation>开具出门证(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Print gate pass…</source>
        <translation>打印出门证(&amp;P)…</translation>
    </message>
    <message>
        <source>Open the gate window…</source>
        <translation>打开门岗窗口…</translation>
    </message>
</context>
<context>
    <name>CheckoutNotifyStep</name>
    <message>
        <source>Notify the customer and agree a pickup time</source>
        <translation>通知顾客并约定交车时间</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>&amp;How</source>
        <translation>通知方式(&amp;H)</translation>
    </message>
    <message>
        <source>Agreed &amp;pickup time</source>
        <translation>约定交车时间(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Record notice</source>
        <translation>记录通知(&amp;R)</translation>
    </message>
    <message>
        <source>Notices so far</source>
        <translation>已有通知记录</translation>
    </message>
</context>
<context>
    <name>CheckoutPage</name>
    <message>
        <source>Cars at the delivery desk</source>
        <translation>交车台车辆</translation>
    </message>
    <message>
        <source>Filter by order, plate or customer…</source>
        <translation>按工单号、车牌或顾客筛选…</translation>
    </message>
    <message>
        <source>Also show cars that left today</source>
        <translation>同时显示今天已出厂的车辆</translation>
    </message>
    <message>
        <source>&amp;Takings of the day…</source>
        <translation>当日收款(&amp;T)…</translation>
    </message>
    <message>
        <source>Gate &amp;window…</source>
        <translation>门岗窗口(&amp;W)…</translation>
    </message>
    <message>
        <source>Pick a car on the left to deliver it, settle the bill or issue the gate pass.</source>
        <translation>请在左侧选择车辆，进行交车、结账或开具出门证。</translation>
    </message>
</context>
<context>
    <name>CheckoutPaymentStep</name>
    <message>
        <source>Take a payment</source>
        <translation>收款</translation>
    </message>
    <message>
        <source>&amp;Method</source>
        <translation>支付方式(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Amount (¥)</source>
        <translation>金额（元）(&amp;A)</translation>
    </message>
    <message>
        <source>Cash &amp;handed over (¥)</source>
        <translation>实收现金（元）(&amp;H)</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>找零</translation>
    </message>
    <message>
        <source>&amp;Reference</source>
        <translation>交易凭证号(&amp;R)</translation>
    </message>
    <message>
        <source>card slip or transaction number</source>
        <translation>刷卡单号或交易流水号</translation>
    </message>
    <message>
        <source>&amp;Take payment</source>
        <translation>收款(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Settle</source>
        <translation>结账(&amp;S)</translation>
    </message>
    <message>
        <source>Payments on this order</source>
        <translation>本工单收款记录</translation>
    </message>
    <message>
        <source>&amp;Void settlement…</source>
        <translation>作废结算(&amp;V)…</translation>
    </message>
    <message>
        <source>Re&amp;fund…</source>
        <translation>退款(&amp;F)…</translation>
    </message>
</context>
<context>
    <name>CheckoutSlipStep</name>
    <message>
        <source>Settlement slip lines</source>
        <translation>结算单明细</translation>
    </message>
    <message>
        <source>Discount on &amp;line…</source>
        <translation>单项折扣(&amp;L)…</translation>
    </message>
    <message>
        <source>Discount on the &amp;total…</source>
        <translation>整单折扣(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Print settlement slip…</source>
        <translation>打印车辆维修结算单(&amp;P)…</translation>
    </message>
    <message>
        <source>The customer pays</source>
        <translation>顾客支付</translation>
    </message>
    <message>
        <source>Not charged to the customer</source>
        <translation>不向顾客收取</translation>
    </message>
</context>
<context>
    <name>CheckoutUi</name>
    <message>
        <source>Why? (the manager reads it)</source>
        <translation>原因（总经理会看到）</translation>
    </message>
    <message>
        <source>Request manager &amp;approval</source>
        <translation>申请总经理审批(&amp;A)</translation>
    </message>
    <message>
        <source>This needs the general manager's approval ({what}). Say why and request it; the manager decides in the approvals in-tray.</source>
        <translation>此操作需要总经理审批（{what}）。请填写原因并提交申请；总经理在待审批列表中决定。</translation>
    </message>
    <message>
        <source>A request is already waiting for the general manager. You can request again for this amount.</source>
        <translation>已有申请在等待总经理审批。您可以按此金额重新申请。</translation>
    </message>
    <message>
        <source>{what} of {amount}</source>
        <translation>{what}（{amount}）</translation>
    </message>
    <message>
        <source>Waiting for the general manager: {what} (asked by {who} at {when}).</source>
        <translation>等待总经理审批：{what}（{who} 于 {when} 申请）。</translation>
    </message>
    <message>
        <source>Approved by {manager}: {what}.</source>
        <translation>{manager} 已批准：{what}。</translation>
    </message>
    <message>
        <source>Refused by {manager}: {what}. {reason}</source>
        <translation>{manager} 已拒绝：{what}。{reason}</translation>
    </message>
    <message>
        <source>Discount on a line</source>
        <translation>单项折扣</translation>
    </message>
    <message>
        <source>Discount on the total</source>
        <translation>整单折扣</translation>
    </message>
    <message>
        <source>Apply discount</source>
        <translation>使用折扣</translation>
    </message>
    <message>
        <source>{line} (gross {amount})</source>
        <translation>{line}（原价 {amount}）</translation>
    </message>
    <message>
        <source>Total the customer pays, now {amount}</source>
        <translation>顾客应付合计，目前 {amount}</translation>
    </message>
    <message>
        <source>On</source>
        <translation>折扣对象</translation>
    </message>
    <message>
        <source>Discount (¥)</source>
        <translation>折扣</translation>
    </message>
    <message>
        <source>Everything below the list price on this order together (discounts, goodwill, lower rates and prices; now {now}) up to {pct}% ({limit}) needs no approval.</source>
        <translation>本工单低于标准价格的所有让利合计（折扣、善意、降低的工时单价和价格；目前 {now}）不超过 {pct}%（{limit}）时无需审批。</translation>
    </message>
    <message>
        <source>Void the settlement of {number}</source>
        <translation>作废 {number} 的结算</translation>
    </message>
    <message>
        <source>Refund on {number}</source>
        <translation>{number} 退款</translation>
    </message>
    <message>
        <source>Approve and void</source>
        <translation>批准并作废</translation>
    </message>
    <message>
        <source>Approve and refund</source>
        <translation>批准并退款</translation>
    </message>
    <message>
        <source>The settlement is kept and marked void; the order goes back to 'Delivered' for a corrected settlement. Payments stay and count again. This needs the general manager's approval.</source>
        <translation>结算单保留并标记为作废；工单回到"已交车"状态，以便更正后重新结账。已收款项保留并重新计入。此操作需要总经理审批。</translation>
    </message>
    <message>
        <source>Money back to the customer is recorded as a negative payment with its own receipt number. This needs the general manager's approval.</source>
        <translation>退给顾客的款项记为一笔负数收款，并有自己的收据号。此操作需要总经理审批。</translation>
    </message>
    <message>
        <source>Amount (¥)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Paid back by</source>
        <translation>退款方式</translation>
    </message>
    <message>
        <source>Return of goods (退货): parts taken back</source>
        <translation>退货：收回配件</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>General manager</source>
        <translation>总经理</translation>
    </message>
    <message>
        <source>Manager's PIN</source>
        <translation>总经理 PIN 码</translation>
    </message>
    <message>
        <source>Nobody else may approve this: a second person with the general manager or deputy approver role must approve (the administrator assigns the role).</source>
        <translation>没有其他人可以审批：需要另一位拥有总经理或副审批人角色的人审批（由系统管理员分配该角色）。</translation>
    </message>
    <message>
        <source>Recommended work</source>
        <translation>建议维修项目</translation>
    </message>
    <message>
        <source>Work</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Safety-relevant (brakes, tyres, steering, lights…)</source>
        <translation>涉及安全（制动、轮胎、转向、灯光…）</translation>
    </message>
    <message>
        <source>Customer's signature for declined work</source>
        <translation>顾客拒绝维修签字</translation>
    </message>
    <message>
        <source>Declined by the customer</source>
        <translation>顾客拒绝维修</translation>
    </message>
    <message>
        <source>Save signature</source>
        <translation>保存签字</translation>
    </message>
    <message>
        <source>Record decline</source>
        <translation>记录拒绝</translation>
    </message>
    <message>
        <source>Safety-relevant: explain the risk. The customer signs that they declined; without the signature (here or on paper) the order cannot be settled.</source>
        <translation>涉及安全：请向顾客说明风险。顾客须签字确认拒绝维修；没有签字（屏幕或纸面）本工单不能结账。</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>The item stays in the vehicle's archive and is raised again.</source>
        <translation>该项目记入车辆服务档案，下次到店时会再次提出。</translation>
    </message>
    <message>
        <source>Let the customer sign in the box, or tick 'Signed on paper'.</source>
        <translation>请让顾客在框内签字，或勾选"纸面签字"。</translation>
    </message>
    <message>
        <source>Payment from {insurer}</source>
        <translation>{insurer} 回款</translation>
    </message>
    <message>
        <source>Record the payment</source>
        <translation>登记回款</translation>
    </message>
    <message>
        <source>Amount received</source>
        <translation>收到金额</translation>
    </message>
    <message>
        <source>Received on</source>
        <translation>到账日期</translation>
    </message>
    <message>
        <source>Transfer reference</source>
        <translation>转账凭证号</translation>
    </message>
    <message>
        <source>Only for order {number}</source>
        <translation>仅用于维修单 {number}</translation>
    </message>
    <message>
        <source>Owed as of:</source>
        <translation>截至日期：</translation>
    </message>
    <message>
        <source>Insurer</source>
        <extracomment>the day the date was last set to by itself: while it shows that day (not one the user chose), it follows the day, so a page left open overnight ages correctly</extracomment>
        <translation>保险公司</translation>
    </message>
    <message>
        <source>Outstanding</source>
        <translation>未收金额</translation>
    </message>
    <message>
        <source>Order</source>
        <extracomment>The cars at the delivery desk: ready, handed over (paying), settled (waiting to leave).</extracomment>
        <translation>工单</translation>
    </message>
    <message>
        <source>Claim report no.</source>
        <translation>报案号</translation>
    </message>
    <message>
        <source>Settled on</source>
        <translation>结算日期</translation>
    </message>
    <message>
        <source>Age (days)</source>
        <translation>账龄（天）</translation>
    </message>
    <message>
        <source>Print statement…</source>
        <translation>打印对账单…</translation>
    </message>
    <message>
        <source>The insurer's statement of what it owes on the day shown, to send it for payment</source>
        <translation>所选保险公司截至所示日期的对账单，寄给保险公司请款</translation>
    </message>
    <message>
        <source>Record insurer payment…</source>
        <translation>登记保险公司回款…</translation>
    </message>
    <message>
        <source>Insurers owe {amount} in all</source>
        <translation>保险公司共欠 {amount}</translation>
    </message>
    <message>
        <source>The insurer's payment is recorded.</source>
        <translation>已登记保险公司回款。</translation>
    </message>
    <message>
        <source>Insurer receivables</source>
        <translation>保险应收款</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>1 Delivery check</source>
        <translation>1 内部交车检查</translation>
    </message>
    <message>
        <source>2 Notify customer</source>
        <translation>2 通知顾客</translation>
    </message>
    <message>
        <source>3 Delivery</source>
        <translation>3 交车</translation>
    </message>
    <message>
        <source>4 Settlement slip</source>
        <translation>4 结算单</translation>
    </message>
    <message>
        <source>5 Payment</source>
        <translation>5 收款</translation>
    </message>
    <message>
        <source>6 Gate pass</source>
        <translation>6 出门证</translation>
    </message>
    <message>
        <source>1 car</source>
        <translation>1 辆车</translation>
    </message>
    <message>
        <source>{n} cars</source>
        <translation>{n} 辆车</translation>
    </message>
    <message>
        <source>This order does not exist any more.</source>
        <translation>该工单已不存在。</translation>
    </message>
    <message>
        <source>State: {state}</source>
        <translation>状态：{state}</translation>
    </message>
    <message>
        <source>Advisor: {name}</source>
        <translation>服务顾问：{name}</translation>
    </message>
    <message>
        <source>Pickup: {when}</source>
        <translation>约定交车：{when}</translation>
    </message>
    <message>
        <source>Accident car</source>
        <translation>事故车</translation>
    </message>
    <message>
        <source>Printing is not available here.</source>
        <translation>此处无法打印。</translation>
    </message>
    <message>
        <source>Checkout</source>
        <translation>结算</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>未开工</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>维修中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Phone call</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>短信</translation>
    </message>
    <message>
        <source>In person</source>
        <translation>当面</translation>
    </message>
    <message>
        <source>Authorised</source>
        <translation>已授权</translation>
    </message>
    <message>
        <source>Signed on screen</source>
        <translation>屏幕签字</translation>
    </message>
    <message>
        <source>Signed on paper</source>
        <translation>纸面签字</translation>
    </message>
    <message>
        <source>Missing: the customer must sign</source>
        <translation>缺少：需顾客签字</translation>
    </message>
    <message>
        <source>Your roles do not allow this.</source>
        <translation>您的角色无权执行此操作。</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Every authorised item is done; final inspection passed ({who}, {when}).</source>
        <translation>所有已授权项目均已完工；总检已通过（{who}，{when}）。</translation>
    </message>
    <message>
        <source>Not yet: {why}.</source>
        <translation>尚未完成：{why}。</translation>
    </message>
    <message>
        <source>Recorded by {who} at {when}.</source>
        <translation>由 {who} 于 {when} 记录。</translation>
    </message>
    <message>
        <source>Still open: {items}.</source>
        <translation>尚未完成：{items}。</translation>
    </message>
    <message>
        <source>Internal delivery check recorded. Now notify the customer.</source>
        <translation>内部交车检查已记录。请通知顾客。</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>How</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Pickup time</source>
        <translation>交车时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>The car was handed over already ({state}).</source>
        <translation>车辆已交付（{state}）。</translation>
    </message>
    <message>
        <source>Do the internal delivery check first, then call the customer.</source>
        <translation>请先完成内部交车检查，再通知顾客。</translation>
    </message>
    <message>
        <source>A major repair or accident car at peak hours ({hours}): agree another time.</source>
        <translation>大修车或事故车不宜在高峰时段（{hours}）交车：请另约时间。</translation>
    </message>
    <message>
        <source>Major repair or accident car: hand it over outside the peak hours ({hours}).</source>
        <translation>大修车或事故车：请避开高峰时段（{hours}）交车。</translation>
    </message>
    <message>
        <source>Notice recorded: pickup at {when}.</source>
        <translation>通知已记录：约定 {when} 交车。</translation>
    </message>
    <message>
        <source>First free service (首保) for this car</source>
        <translation>本车享受首次免费保养（首保）</translation>
    </message>
    <message>
        <source>Customer's decision</source>
        <translation>顾客决定</translation>
    </message>
    <message>
        <source>Pay type</source>
        <translation>付费类型</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Safety</source>
        <translation>涉及安全</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>签字</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>Delivery of {number}</source>
        <translation>{number} 交车</translation>
    </message>
    <message>
        <source>Declined at earlier visits: {items}</source>
        <translation>以往到店时顾客拒绝的项目：{items}</translation>
    </message>
    <message>
        <source>Team leader's advice for the customer: {advice}</source>
        <translation>班组长给顾客的维修建议：{advice}</translation>
    </message>
    <message>
        <source>Tell the customer a follow-up call comes within {days} days. When suits them?</source>
        <translation>告知顾客 {days} 天内会有回访电话，并询问方便的时间。</translation>
    </message>
    <message>
        <source>Shop rule: every {months} months or {km} km, whichever comes first.</source>
        <translation>本店规则：每 {months} 个月或 {km} 公里，以先到者为准。</translation>
    </message>
    <message>
        <source>This is the new car's first service: explain that it is free (首保).</source>
        <translation>这是新车的首次保养：请向顾客说明首保免费。</translation>
    </message>
    <message>
        <source>Handed over at {when} ({state}).</source>
        <translation>已于 {when} 交车（{state}）。</translation>
    </message>
    <message>
        <source>No passed final inspection yet.</source>
        <translation>尚未通过总检。</translation>
    </message>
    <message>
        <source>Do the internal delivery check first.</source>
        <translation>请先完成内部交车检查。</translation>
    </message>
    <message>
        <source>Tell the customer first (2 Notify customer).</source>
        <translation>请先通知顾客（2 通知顾客）。</translation>
    </message>
    <message>
        <source>Unsaved input from {when} was found.</source>
        <translation>发现 {when} 未保存的输入。</translation>
    </message>
    <message>
        <source>The customer wants: {work}.</source>
        <translation>顾客接受：{work}。</translation>
    </message>
    <message>
        <source>Declined by the customer: {work}.</source>
        <translation>顾客拒绝维修：{work}。</translation>
    </message>
    <message>
        <source>Recommended work added: {work}.</source>
        <translation>已添加建议维修项目：{work}。</translation>
    </message>
    <message>
        <source>{work} is safety-relevant: the order cannot be settled until the customer signs that they declined it.</source>
        <translation>{work} 涉及安全：顾客签字确认拒绝维修之前，本工单不能结账。</translation>
    </message>
    <message>
        <source>{number} handed over. Take the payment.</source>
        <translation>{number} 已交车。请收款。</translation>
    </message>
    <message>
        <source>Print pro-&amp;forma (预结算单)…</source>
        <translation>打印预结算单(&amp;F)…</translation>
    </message>
    <message>
        <source>The settlement slip as it stands now, marked as pro-forma: not a receipt.</source>
        <translation>按当前金额打印的结算单，标明为预结算单：非收款凭证。</translation>
    </message>
    <message>
        <source>Work / part</source>
        <translation>项目 / 配件</translation>
    </message>
    <message>
        <source>Hours / qty</source>
        <translation>工时 / 数量</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Gross</source>
        <translation>原价金额</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>折扣</translation>
    </message>
    <message>
        <source>Customer pays</source>
        <translation>客户付费</translation>
    </message>
    <message>
        <source>Labour and parts</source>
        <translation>工时和配件</translation>
    </message>
    <message>
        <source>Discounts</source>
        <translation>折扣</translation>
    </message>
    <message>
        <source>Total (tax included)</source>
        <translation>合计（含税）</translation>
    </message>
    <message>
        <source>of which tax</source>
        <translation>其中税额</translation>
    </message>
    <message>
        <source>In capitals (大写)</source>
        <translation>大写金额</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>已付</translation>
    </message>
    <message>
        <source>On account</source>
        <translation>挂账</translation>
    </message>
    <message>
        <source>Still due</source>
        <translation>尚欠</translation>
    </message>
    <message>
        <source>Warranty: manufacturer claim</source>
        <translation>保修：向厂家索赔</translation>
    </message>
    <message>
        <source>Internal</source>
        <translation>内部</translation>
    </message>
    <message>
        <source>Goodwill</source>
        <translation>善意</translation>
    </message>
    <message>
        <source>Settled as {number} on {when} by {who}. The order is frozen; a correction needs a manager-approved void.</source>
        <translation>已于 {when} 由 {who} 结账，结算单号 {number}。工单已锁定；如需更正，须经总经理审批作废。</translation>
    </message>
    <message>
        <source>Preview: the bill is settled after the car is handed over to the customer.</source>
        <translation>预览：交车后才能结账。</translation>
    </message>
    <message>
        <source>Only authorised and completed work is on the slip; warranty work is free for the customer.</source>
        <translation>结算单只包含已授权并完工的项目；保修项目顾客免费。</translation>
    </message>
    <message>
        <source>Additional work still awaiting the customer's authorisation is never charged and blocks settling: {lines}.</source>
        <translation>仍待顾客授权的增项不收费，且在决定之前不能结账：{lines}。</translation>
    </message>
    <message>
        <source>A supplementary assessment still awaiting the insurer's approval is never charged and blocks settling: {lines}.</source>
        <translation>仍待保险公司核准的追加定损不收费，且在核准之前不能结账：{lines}。</translation>
    </message>
    <message>
        <source>(of which {amount} of the insured work)</source>
        <translation>（其中保险维修自付 {amount}）</translation>
    </message>
    <message>
        <source>(lines {lines}, total {total})</source>
        <translation>（单项 {lines}，整单 {total}）</translation>
    </message>
    <message>
        <source>{amount} ({rate}%)</source>
        <translation>{amount}（{rate}%）</translation>
    </message>
    <message>
        <source>Up to {limit} without approval.</source>
        <translation>{limit} 以内无需审批。</translation>
    </message>
    <message>
        <source>Approval requested. The discount is applied once the general manager approves it (press F5 to look again).</source>
        <translation>已提交审批。总经理批准后再使用该折扣（按 F5 刷新）。</translation>
    </message>
    <message>
        <source>Discount applied: the customer now pays {total}.</source>
        <translation>折扣已生效：顾客现需支付 {total}。</translation>
    </message>
    <message>
        <source>Apply discount of {amount}</source>
        <translation>使用 {amount} 的折扣</translation>
    </message>
    <message>
        <source>Approved discount applied.</source>
        <translation>已使用经批准的折扣。</translation>
    </message>
    <message>
        <source>Receipt no.</source>
        <translation>收据号</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <source>Handed over</source>
        <translation>实收</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>找零</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>交易凭证号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Settled: {total}</source>
        <translation>已结账：{total}</translation>
    </message>
    <message>
        <source>Overpaid by {amount}</source>
        <translation>多付 {amount}</translation>
    </message>
    <message>
        <source>Due: {amount}</source>
        <translation>应收：{amount}</translation>
    </message>
    <message>
        <source>In capitals: {words}</source>
        <translation>大写金额：{words}</translation>
    </message>
    <message>
        <source>Before settling: {items}</source>
        <translation>结账前还需：{items}</translation>
    </message>
    <message>
        <source>Payments are taken after the car is handed over.</source>
        <translation>交车后才能收款。</translation>
    </message>
    <message>
        <source>additional work not authorised yet ({lines}).</source>
        <translation>增项尚未授权（{lines}）。</translation>
    </message>
    <message>
        <source>safety-relevant recommended work needs the customer's decision and signature ({items}).</source>
        <translation>涉及安全的建议维修项目需要顾客决定并签字（{items}）。</translation>
    </message>
    <message>
        <source>{due} still due.</source>
        <translation>尚欠 {due}。</translation>
    </message>
    <message>
        <source>{amount} paid too much: refund it.</source>
        <translation>多付 {amount}：请退款。</translation>
    </message>
    <message>
        <source>The insurer's confirmation is recorded.</source>
        <translation>已登记保险公司的确认。</translation>
    </message>
    <message>
        <source>{customer}: credit limit {limit}, owed on account {owed}, {left} left.</source>
        <translation>{customer}：信用额度 {limit}，已挂账 {owed}，剩余 {left}。</translation>
    </message>
    <message>
        <source>On account is for company customers; otherwise it needs the general manager's approval.</source>
        <translation>挂账仅限公司客户；其他情况须经总经理审批。</translation>
    </message>
    <message>
        <source>{missing} short</source>
        <translation>还差 {missing}</translation>
    </message>
    <message>
        <source>Receipt {receipt}: {amount} by {method}.</source>
        <translation>收据 {receipt}：{method} {amount}。</translation>
    </message>
    <message>
        <source>Give {change} change.</source>
        <translation>请找零 {change}。</translation>
    </message>
    <message>
        <source>Approval requested. Once the general manager approves it, take the payment from the approvals list (F5 looks again).</source>
        <translation>已提交审批。总经理批准后，请在审批列表中收款（按 F5 刷新）。</translation>
    </message>
    <message>
        <source>Put {amount} on account</source>
        <translation>挂账 {amount}</translation>
    </message>
    <message>
        <source>Void now</source>
        <translation>立即作废</translation>
    </message>
    <message>
        <source>Refund {amount} in cash</source>
        <translation>现金退款 {amount}</translation>
    </message>
    <message>
        <source>Put on account with the manager's approval.</source>
        <translation>已经总经理批准挂账。</translation>
    </message>
    <message>
        <source>Settlement voided: correct the order and settle again.</source>
        <translation>结算已作废：请更正工单后重新结账。</translation>
    </message>
    <message>
        <source>Refund recorded.</source>
        <translation>退款已记录。</translation>
    </message>
    <message>
        <source>Settled. Print the settlement slip and issue the gate pass.</source>
        <translation>已结账。请打印车辆维修结算单并开具出门证。</translation>
    </message>
    <message>
        <source>Print settlement &amp;slip…</source>
        <translation>打印结算单(&amp;S)…</translation>
    </message>
    <message>
        <source>The gate pass is issued once the order is settled; the car leaves only with it.</source>
        <translation>结账后才开具出门证；车辆凭出门证出厂。</translation>
    </message>
    <message>
        <source>Settled: issue the gate pass and give it to the customer.</source>
        <translation>已结账：请开具出门证并交给顾客。</translation>
    </message>
    <message>
        <source>The customer shows this gate pass at the gate; it is valid once.</source>
        <translation>顾客在门岗出示此出门证；仅限使用一次。</translation>
    </message>
    <message>
        <source>The car left the shop at {when}.</source>
        <translation>车辆已于 {when} 出厂。</translation>
    </message>
    <message>
        <source>{when} by {who}</source>
        <translation>{when}，{who}</translation>
    </message>
    <message>
        <source>Used: the car left at {when}</source>
        <translation>已使用：车辆于 {when} 出厂</translation>
    </message>
    <message>
        <source>Valid, not used yet</source>
        <translation>有效，尚未使用</translation>
    </message>
    <message>
        <source>{date} or {km} km, whichever comes first</source>
        <translation>{date} 或 {km} 公里，以先到者为准</translation>
    </message>
    <message>
        <source>Scheduled for {when}</source>
        <translation>已安排在 {when}</translation>
    </message>
    <message>
        <source>Scheduled when the car leaves.</source>
        <translation>车辆出厂时安排。</translation>
    </message>
    <message>
        <source>Gate pass issued. Print it for the customer.</source>
        <translation>出门证已开具。请打印交给顾客。</translation>
    </message>
    <message>
        <source>Takings of the day</source>
        <translation>当日收款</translation>
    </message>
    <message>
        <source>Day:</source>
        <translation>日期：</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>笔数</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>收款</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>Net</source>
        <translation>净额</translation>
    </message>
    <message>
        <source>Money in {taken}, refunds {refunded}, net {net}. Put on account (no money in): {on_account}.</source>
        <translation>收入 {taken}，退款 {refunded}，净额 {net}。挂账（未收款）：{on_account}。</translation>
    </message>
    <message>
        <source>Insured work (shop price)</source>
        <translation>保险维修（本店价格）</translation>
    </message>
    <message>
        <source>Loss assessment covers</source>
        <translation>定损金额</translation>
    </message>
    <message>
        <source>Excess (customer pays)</source>
        <translation>免赔额（顾客自付）</translation>
    </message>
    <message>
        <source>Betterment (customer pays)</source>
        <translation>折旧（顾客自付）</translation>
    </message>
    <message>
        <source>Above the assessment (customer pays)</source>
        <translation>超出定损部分（顾客自付）</translation>
    </message>
    <message>
        <source>Customer's part (in the amount due)</source>
        <translation>顾客自付部分（计入应付金额）</translation>
    </message>
    <message>
        <source>Insurer pays (billed to the insurer)</source>
        <translation>保险公司赔付（向保险公司结算）</translation>
    </message>
    <message>
        <source>Insurance claim: who pays</source>
        <translation>保险理赔：费用分担</translation>
    </message>
    <message>
        <source>The insurer confirmed its part</source>
        <translation>保险公司已确认赔付金额</translation>
    </message>
    <message>
        <source>{insurer}, claim report no. {report_no}</source>
        <translation>{insurer}，报案号 {report_no}</translation>
    </message>
    <message>
        <source>The insurer pays nothing here: the customer pays the insured work.</source>
        <translation>保险公司本单不赔付：保险维修费用由顾客支付。</translation>
    </message>
    <message>
        <source>The insurer confirmed {amount}.</source>
        <translation>保险公司已确认赔付 {amount}。</translation>
    </message>
</context>
<context>
    <name>Checks</name>
    <message>
        <source>The database file is damaged: {detail}</source>
        <extracomment>States in which the customer has paid (or been given credit) for the order. States reached only through a passed final inspection. States in which the workshop has the car, so the task order must be signed. States after dispatch: a team must be assigned. Manager approvals that put (part of) a bill on the customer's account.</extracomment>
        <translation>数据库文件已损坏：{detail}</translation>
    </message>
    <message>
        <source>Row {rowid} of table {table} refers to a missing row in {parent}.</source>
        <translation>表 {table} 的第 {rowid} 行引用了 {parent} 中不存在的记录。</translation>
    </message>
    <message>
        <source>Order {number} has an unknown state “{state}”.</source>
        <translation>任务委托书 {number} 的状态“{state}”无效。</translation>
    </message>
    <message>
        <source>Order {number} is {state} but has no active settlement.</source>
        <translation>任务委托书 {number} 状态为“{state}”，但没有有效的车辆维修结算单。</translation>
    </message>
    <message>
        <source>Order {number} has {count} active settlements; only one may be active.</source>
        <translation>任务委托书 {number} 有 {count} 张有效结算单，只允许有一张。</translation>
    </message>
    <message>
        <source>Order {number}: its settlement records {refunded} refunded but its refund payments come to {refunds}.</source>
        <translation>工单 {number}：结算单记录已退款 {refunded}，但退款付款合计为 {refunds}。</translation>
    </message>
    <message>
        <source>Order {number} is {state} but payments ({paid}) and approved credit ({credit}) do not cover the customer total ({total}).</source>
        <translation>任务委托书 {number} 状态为“{state}”，但已收款（{paid}）加已批准的挂账（{credit}）不足客户应付金额（{total}）。</translation>
    </message>
    <message>
        <source>Order {number} is {state} but has no final inspection.</source>
        <translation>任务委托书 {number} 状态为“{state}”，但没有总检记录。</translation>
    </message>
    <message>
        <source>Order {number} is {state} but its last final inspection failed.</source>
        <translation>任务委托书 {number} 状态为“{state}”，但最近一次总检未通过。</translation>
    </message>
    <message>
        <source>Order {number} is {state} but the customer has not signed the task order.</source>
        <translation>任务委托书 {number} 状态为“{state}”，但顾客尚未签字。</translation>
    </message>
    <message>
        <source>Order {number} is {state} but its parts issue slip {slip} was never signed by the technician.</source>
        <translation>维修单 {number} 已{state}，但其出库单 {slip} 一直没有技师签字。</translation>
    </message>
    <message>
        <source>Order {number} is {state} but no team is assigned to it.</source>
        <translation>任务委托书 {number} 状态为“{state}”，但未派工给班组。</translation>
    </message>
    <message>
        <source>Part {part} has a negative stock ({stock}).</source>
        <translation>配件 {part} 库存为负数（{stock}）。</translation>
    </message>
    <message>
        <source>Part {part} has {reserved} reserved but only {stock} in stock.</source>
        <translation>配件 {part} 已预留 {reserved}，但库存只有 {stock}。</translation>
    </message>
    <message>
        <source>Order {number}: line {line} has more parts returned to stock than were issued.</source>
        <translation>工单 {number}：{line} 的退料数量多于发料数量。</translation>
    </message>
    <message>
        <source>Return slip {slip} of order {number} is not signed by the technician, but the car is {state}.</source>
        <translation>工单 {number} 的退料单 {slip} 尚未由维修技师签字，但车辆已“{state}”。</translation>
    </message>
    <message>
        <source>Order {number}: the line “{line}” is done but the customer has not authorised it.</source>
        <translation>任务委托书 {number}：项目“{line}”已完工，但顾客尚未授权。</translation>
    </message>
    <message>
        <source>Order {number} is {state} but its gate pass {gate_pass} has been used.</source>
        <translation>任务委托书 {number} 状态为“{state}”，但其出门证 {gate_pass} 已被使用。</translation>
    </message>
    <message>
        <source>Order {number} is {state} but its audit log last recorded it as {logged}.</source>
        <translation>任务委托书 {number} 状态为“{state}”，但操作日志最后记录的状态是“{logged}”。</translation>
    </message>
    <message>
        <source>Counter receipt {number}: its total {total} is not its lines' {lines}.</source>
        <extracomment>The process rules, each one function of a few aggregate queries.</extracomment>
        <translation>配件零售收据 {number}：合计 {total} 与明细合计 {lines} 不符。</translation>
    </message>
    <message>
        <source>Counter receipt {number}: {paid} was paid after refunds, which is not between nothing and its total {total}.</source>
        <translation>配件零售收据 {number}：扣除退款后实付 {paid}，不在零与合计 {total} 之间。</translation>
    </message>
    <message>
        <source>Order {number}: the insurer's part {billed} is owed as {owed} in the insurer receivables.</source>
        <translation>维修单 {number}：保险公司应付部分 {billed}，在保险应收款中记为 {owed}。</translation>
    </message>
    <message>
        <source>Order {number}: the insurer paid {paid} on a receivable of {amount}.</source>
        <translation>维修单 {number}：保险公司对 {amount} 的应收款回款了 {paid}。</translation>
    </message>
    <message>
        <source>Insurer payment {id} of {amount} is allocated to receivables as {spread}.</source>
        <translation>保险公司回款 {id}（{amount}）分配到应收款的金额为 {spread}。</translation>
    </message>
    <message>
        <source>The database has schema {found}, made by a newer version of shop-desk (this program knows up to {latest}); its rules were not checked.</source>
        <translation>数据库结构版本为 {found}，由更新版本的 shop-desk 创建（本程序最高支持 {latest}）；未检查业务规则。</translation>
    </message>
    <message>
        <source>The database has schema {found}; this program uses schema {latest}. Open it once with shop-desk to upgrade it, then check again.</source>
        <translation>数据库结构版本为 {found}，本程序使用版本 {latest}。请先用 shop-desk 打开一次以完成升级，再重新检查。</translation>
    </message>
    <message>
        <source>The process rules could not be checked: {error}</source>
        <translation>无法检查业务规则：{error}</translation>
    </message>
    <message>
        <source>Column {column} of table {table} is not protected by its foreign key to {parent}.</source>
        <extracomment>The LISTEN/NOTIFY channel of shop-desk's change notifications. The expressions the global search (:mod:`shop_desk.services.search`) matches with ``ILIKE '%term%'`` on a server; a trigram index on each answers without reading the table. The audit log's protection on a server: row triggers refuse UPDATE and DELETE (see :mod:`shop_desk.migrations`), this statement trigger refuses TRUNCATE, which fires no row triggers. (PostgreSQL has no INSERT OR REPLACE; ON CONFLICT DO UPDATE fires the UPDATE one.)</extracomment>
        <translation>表 {table} 的列 {column} 缺少指向 {parent} 的外键约束。</translation>
    </message>
    <message>
        <source>The audit log is not protected against changes: its trigger {name} is missing or disabled.</source>
        <translation>操作日志未受保护，可能被修改：其触发器 {name} 缺失或已停用。</translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <source>the shop database file</source>
        <translation>门店数据库文件</translation>
    </message>
    <message>
        <source>interface language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <source>After-sales service desk of a car dealership. Without a command it opens the desktop.</source>
        <extracomment>Commands that show windows and so need a QApplication rather than a QCoreApplication. Output into a closed pipe: what a shell reports for a tool ended by SIGPIPE (128 + 13).</extracomment>
        <translation>汽车经销商售后服务中心系统。不带命令时打开桌面程序。</translation>
    </message>
    <message>
        <source>the shop database file (default: SHOP_DESK_DB or the user data folder)</source>
        <translation>门店数据库文件（默认：SHOP_DESK_DB 或用户数据文件夹）</translation>
    </message>
    <message>
        <source>interface language (default: the system language)</source>
        <translation>界面语言（默认：系统语言）</translation>
    </message>
    <message>
        <source>show the version and the database schema it writes, and exit</source>
        <translation>显示版本及其使用的数据库结构版本，然后退出</translation>
    </message>
    <message>
        <source>build a demo shop with sample data and open it</source>
        <translation>创建带示例数据的演示门店并打开</translation>
    </message>
    <message>
        <source>only build the demo database</source>
        <translation>只创建演示数据库</translation>
    </message>
    <message>
        <source>replace an existing demo database</source>
        <translation>替换已有的演示数据库</translation>
    </message>
    <message>
        <source>years of history to generate</source>
        <translation>生成多少年的历史数据</translation>
    </message>
    <message>
        <source>repair orders per working day</source>
        <translation>每个工作日的任务委托书数量</translation>
    </message>
    <message>
        <source>random seed (the same seed gives the same shop)</source>
        <translation>随机种子（相同种子生成相同的门店）</translation>
    </message>
    <message>
        <source>the day the demo shop stands on (default: today)</source>
        <translation>演示门店所处的日期（默认：今天）</translation>
    </message>
    <message>
        <source>list repair orders, tab-separated</source>
        <translation>列出任务委托书（制表符分隔）</translation>
    </message>
    <message>
        <source>only orders in this state</source>
        <translation>只列出此状态的任务委托书</translation>
    </message>
    <message>
        <source>the cashier's takings of a day by payment method, refunds apart</source>
        <translation>某日收款汇总（按付款方式，退款单列）</translation>
    </message>
    <message>
        <source>the cashier or manager reading the takings</source>
        <translation>查看收款的收银员或总经理</translation>
    </message>
    <message>
        <source>the day (default: today)</source>
        <translation>日期（默认：今天）</translation>
    </message>
    <message>
        <source>check the database for damage and broken process rules</source>
        <translation>检查数据库是否损坏以及是否违反业务规则</translation>
    </message>
    <message>
        <source>print a form as PDF</source>
        <translation>将单据打印为 PDF</translation>
    </message>
    <message>
        <source>which form</source>
        <translation>单据类型</translation>
    </message>
    <message>
        <source>repair order, field job or counter receipt number, e.g. RO261102-001, FW261102-001 or LS261102-001; for insurer-statement the insurer's name</source>
        <translation>工单号、外出服务单号或配件零售收据号，例如 RO261102-001、FW261102-001 或 LS261102-001；insurer-statement 则为保险公司名称</translation>
    </message>
    <message>
        <source>write the PDF here</source>
        <translation>PDF 保存位置</translation>
    </message>
    <message>
        <source>insurer-statement: what is owed on this day (default: today)</source>
        <translation>insurer-statement：截至该日的欠款（默认：今天）</translation>
    </message>
    <message>
        <source>save screenshots of every screen</source>
        <translation>保存每个界面的截图</translation>
    </message>
    <message>
        <source>folder for the PNG files</source>
        <translation>PNG 文件保存文件夹</translation>
    </message>
    <message>
        <source>workshop board or lounge display on a second screen</source>
        <translation>在第二块屏幕上显示车间看板或休息区显示屏</translation>
    </message>
    <message>
        <source>number of the screen to show it on</source>
        <translation>显示在第几块屏幕</translation>
    </message>
    <message>
        <source>show the customer lounge view instead of the workshop board</source>
        <translation>显示顾客休息区画面而不是车间看板</translation>
    </message>
    <message>
        <source>back up the database now</source>
        <translation>立即备份数据库</translation>
    </message>
    <message>
        <source>backup folder (default: the user data folder)</source>
        <translation>备份文件夹（默认：用户数据文件夹）</translation>
    </message>
    <message>
        <source>replace the database with a backup (the current one is kept aside)</source>
        <translation>用备份替换数据库（当前数据库另存）</translation>
    </message>
    <message>
        <source>the backup file</source>
        <translation>备份文件</translation>
    </message>
    <message>
        <source>restore a backup taken before shop-desk kept checksums (not verified)</source>
        <translation>恢复 shop-desk 开始保存校验和之前的备份（不做验证）</translation>
    </message>
    <message>
        <source>management reports</source>
        <translation>管理报表</translation>
    </message>
    <message>
        <source>which report</source>
        <translation>哪一个报表</translation>
    </message>
    <message>
        <source>the general manager reading the report</source>
        <translation>查看报表的总经理</translation>
    </message>
    <message>
        <source>the month, e.g. 2026-10</source>
        <translation>月份，例如 2026-10</translation>
    </message>
    <message>
        <source>also write the report as CSV</source>
        <translation>同时将报表写为 CSV</translation>
    </message>
    <message>
        <source>also write the report as an Excel workbook</source>
        <translation>同时将报表写为 Excel 工作簿</translation>
    </message>
    <message>
        <source>show or change the settings of this PC: its name, printers and board</source>
        <translation>查看或更改本机设置：名称、打印机和看板</translation>
    </message>
    <message>
        <source>the name of this PC, e.g. "Reception 1" (empty: the computer's name)</source>
        <translation>本机名称，例如"前台 1"（留空：使用计算机名）</translation>
    </message>
    <message>
        <source>this PC's printer for a kind of document, e.g. settlement="Cashier HP" (KIND= forgets it); may be repeated</source>
        <translation>本机某类单据的打印机，例如 settlement="收银台打印机"（KIND= 表示清除）；可重复</translation>
    </message>
    <message>
        <source>what the board command shows on this PC</source>
        <translation>board 命令在本机显示的画面</translation>
    </message>
    <message>
        <source>import customers, vehicles or service history from an old system's file</source>
        <translation>从旧系统的文件导入客户、车辆或维修历史</translation>
    </message>
    <message>
        <source>an .xlsx or .csv file</source>
        <translation>.xlsx 或 .csv 文件</translation>
    </message>
    <message>
        <source>read the file's column COLUMN as FIELD (COLUMN= ignores the column); may be repeated</source>
        <translation>把文件的 COLUMN 列读作 FIELD（COLUMN= 忽略该列）；可重复</translation>
    </message>
    <message>
        <source>only say what would be created, merged and refused</source>
        <translation>只显示将新建、合并和拒绝的内容</translation>
    </message>
    <message>
        <source>the old system's name: its saved column mapping is used</source>
        <translation>旧系统的名称：使用其已保存的列对应关系</translation>
    </message>
    <message>
        <source>keep the column mapping for the next file of this source</source>
        <translation>保存列对应关系，供此来源的下一个文件使用</translation>
    </message>
    <message>
        <source>write the refused rows with their reason to FILE (.csv or .xlsx)</source>
        <translation>把被拒绝的行及原因写入 FILE（.csv 或 .xlsx）</translation>
    </message>
    <message>
        <source>move the shop from a database file to an empty PostgreSQL database</source>
        <translation>将门店从数据库文件迁移到空的 PostgreSQL 数据库</translation>
    </message>
    <message>
        <source>the shop's database file</source>
        <translation>门店的数据库文件</translation>
    </message>
    <message>
        <source>the empty database on the PostgreSQL server</source>
        <translation>PostgreSQL 服务器上的空数据库</translation>
    </message>
    <message>
        <source>must be a whole number of at least 1</source>
        <translation>必须是不小于 1 的整数</translation>
    </message>
    <message>
        <source>give a date as YYYY-MM-DD, e.g. 2026-11-02</source>
        <translation>请按 YYYY-MM-DD 格式输入日期，例如 2026-11-02</translation>
    </message>
    <message>
        <source>Database file not found: {path}</source>
        <translation>找不到数据库文件：{path}</translation>
    </message>
    <message>
        <source>{path} is not a readable shop-desk database ({error}).</source>
        <translation>{path} 不是可读取的 shop-desk 数据库（{error}）。</translation>
    </message>
    <message>
        <source>This feature ({feature}) is not available in this version of shop-desk.</source>
        <translation>此版本的 shop-desk 不提供该功能（{feature}）。</translation>
    </message>
    <message>
        <source>The demo database {path} already exists; it is kept (use --force to rebuild it).</source>
        <translation>演示数据库 {path} 已存在，已保留（如需重建请使用 --force）。</translation>
    </message>
    <message>
        <source>Demo shop built: {path}</source>
        <translation>演示门店已创建：{path}</translation>
    </message>
    <message>
        <source>Unknown state “{state}”. Valid states: {states}.</source>
        <translation>未知状态“{state}”。有效状态：{states}。</translation>
    </message>
    <message>
        <source>{who}; the PIN is read from SHOP_DESK_PIN or asked</source>
        <translation>{who}；PIN 从 SHOP_DESK_PIN 读取，或在此输入</translation>
    </message>
    <message>
        <source>Give --login: the takings are the cashier's.</source>
        <translation>请给出 --login：当日收款仅限收银员查看。</translation>
    </message>
    <message>
        <source>Takings of {day}</source>
        <translation>{day} 收款汇总</translation>
    </message>
    <message>
        <source>Money in</source>
        <translation>收入</translation>
    </message>
    <message>
        <source>On account</source>
        <translation>挂账</translation>
    </message>
    <message>
        <source>{count} problem(s) found in {path}.</source>
        <translation>在 {path} 中发现 {count} 个问题。</translation>
    </message>
    <message>
        <source>OK: no problems found in {path}.</source>
        <translation>正常：{path} 中未发现问题。</translation>
    </message>
    <message>
        <source>--on is only for insurer-statement.</source>
        <translation>--on 仅用于 insurer-statement。</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <source>Marked as a copy (print no. {n}).</source>
        <translation>已标注为副本（第 {n} 次打印）。</translation>
    </message>
    <message>
        <source>Screenshots stage work on a copy of a shop file: give a file with --db (the demo or a copy of the shop), not the server.</source>
        <translation>截图会在店铺数据库文件的副本上模拟业务：请用 --db 指定一个文件（演示库或店铺数据库的副本），不要指定服务器。</translation>
    </message>
    <message>
        <source>{count} screenshots saved in {folder}</source>
        <translation>已将 {count} 张截图保存到 {folder}</translation>
    </message>
    <message>
        <source>This database is on a PostgreSQL server: back it up and restore it with the server's tools (pg_dump and pg_restore), as the README shows.</source>
        <translation>此数据库位于 PostgreSQL 服务器上：请按 README 说明用服务器自带的工具（pg_dump 和 pg_restore）备份和恢复。</translation>
    </message>
    <message>
        <source>Backup saved: {path}</source>
        <translation>备份已保存：{path}</translation>
    </message>
    <message>
        <source>Restored {backup} into {path}; the previous database is kept as {aside}.</source>
        <translation>已将 {backup} 恢复到 {path}；原数据库另存为 {aside}。</translation>
    </message>
    <message>
        <source>Give the month as YYYY-MM, e.g. 2026-10 (not {text}).</source>
        <translation>请按 YYYY-MM 格式填写月份，例如 2026-10（不是 {text}）。</translation>
    </message>
    <message>
        <source>Give --login: the monthly report is the general manager's.</source>
        <translation>请给出 --login：月度报表仅限总经理查看。</translation>
    </message>
    <message>
        <source>Give the printer as KIND=PRINTER, e.g. settlement="Cashier HP" (not {text}).</source>
        <translation>请按 KIND=打印机 的格式填写，例如 settlement="收银台打印机"（而不是 {text}）。</translation>
    </message>
    <message>
        <source>the workshop board</source>
        <translation>车间看板</translation>
    </message>
    <message>
        <source>the customer lounge view</source>
        <translation>顾客休息区画面</translation>
    </message>
    <message>
        <source>Station name: {name}</source>
        <translation>本机名称：{name}</translation>
    </message>
    <message>
        <source>Board: {variant}</source>
        <translation>看板：{variant}</translation>
    </message>
    <message>
        <source>Printer for {document}: {printer}</source>
        <translation>{document}的打印机：{printer}</translation>
    </message>
    <message>
        <source>not set (the print dialog asks)</source>
        <translation>未设置（打印时选择）</translation>
    </message>
    <message>
        <source>Kept in {path}</source>
        <translation>保存在 {path}</translation>
    </message>
    <message>
        <source>time unknown</source>
        <extracomment>Seconds between two progress lines inside one table of ``migrate-db``.</extracomment>
        <translation>时间未知</translation>
    </message>
    <message>
        <source>about {n} s</source>
        <translation>约 {n} 秒</translation>
    </message>
    <message>
        <source>about {n} min</source>
        <translation>约 {n} 分钟</translation>
    </message>
    <message>
        <source>{table}: {rows} of {of} rows, {share}% of the shop, {left} left</source>
        <translation>{table}：已复制 {rows} / {of} 行，占全店 {share}%，剩余{left}</translation>
    </message>
    <message>
        <source>{table}: {rows} rows copied</source>
        <translation>{table}：已复制 {rows} 行</translation>
    </message>
    <message>
        <source>Building the indexes…</source>
        <translation>正在建立索引…</translation>
    </message>
    <message>
        <source>Comparing the server with the file, table by table…</source>
        <translation>正在逐表核对服务器与文件…</translation>
    </message>
    <message>
        <source>Gathering the server's statistics…</source>
        <translation>正在收集服务器的统计信息…</translation>
    </message>
    <message>
        <source>Moved {rows} rows in {tables} tables; rows, ids, amounts and images on the server match the file. Point every PC at the server with --db or SHOP_DESK_DB.</source>
        <translation>已迁移 {tables} 张表共 {rows} 行；服务器上的行数、编号、金额和图片与文件一致。请用 --db 或 SHOP_DESK_DB 将每台电脑指向该服务器。</translation>
    </message>
    <message>
        <source>--map {item}: give COLUMN=FIELD with a column of the file and one of: {fields}.</source>
        <translation>--map {item}：请写成 COLUMN=FIELD，COLUMN 为文件中的列，FIELD 为以下之一：{fields}。</translation>
    </message>
    <message>
        <source>Give --login: an import is recorded under a name.</source>
        <translation>请给出 --login：导入要记录操作人。</translation>
    </message>
    <message>
        <source>PIN: </source>
        <translation>PIN：</translation>
    </message>
    <message>
        <source>who imports (an administrator or the manager)</source>
        <translation>导入人（管理员或总经理）</translation>
    </message>
    <message>
        <source>Give --source: a mapping is saved per source.</source>
        <translation>请给出 --source：对应关系按来源保存。</translation>
    </message>
    <message>
        <source>row {row}: {reason}</source>
        <translation>第 {row} 行：{reason}</translation>
    </message>
    <message>
        <source>Dry run: nothing was imported.</source>
        <translation>试运行：没有导入任何内容。</translation>
    </message>
    <message>
        <source>Imported as batch {batch}.</source>
        <translation>已作为批次 {batch} 导入。</translation>
    </message>
    <message>
        <source>There is no display to open a window on (DISPLAY is not set). Start it on the desktop, or use a command that needs no window (see shop-desk --help).</source>
        <translation>没有可打开窗口的显示器（未设置 DISPLAY）。请在桌面环境中启动，或使用无需窗口的命令（见 shop-desk --help）。</translation>
    </message>
    <message>
        <source>Database error: {error}</source>
        <translation>数据库错误：{error}</translation>
    </message>
    <message>
        <source>A part of Qt could not be loaded ({error}). On Linux install the Qt system libraries listed in the README.</source>
        <translation>无法加载 Qt 组件（{error}）。在 Linux 上请安装 README 中列出的 Qt 系统库。</translation>
    </message>
</context>
<context>
    <name>Counter</name>
    <message>
        <source>Lines</source>
        <extracomment>Receipt numbers of the counter: LS (零售) + date + sequence. Pay types of the counter: the checkout's, less "on account" (a counter sale is paid at once).</extracomment>
        <translation>明细</translation>
    </message>
    <message>
        <source>Add at least one part to the sale.</source>
        <translation>请至少添加一个配件。</translation>
    </message>
    <message>
        <source>A sale has at most {n} lines.</source>
        <translation>一笔零售最多 {n} 行。</translation>
    </message>
    <message>
        <source>Each line names a part and a quantity.</source>
        <translation>每一行须写明配件和数量。</translation>
    </message>
    <message>
        <source>{part} is no longer sold.</source>
        <translation>{part} 已停售。</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Say for each line whether it is a gift (yes or no).</source>
        <translation>请为每一行注明是否为赠品（是或否）。</translation>
    </message>
    <message>
        <source>Not enough {part} in stock: {qty} wanted, {free} free (stock {stock}, reserved for repair orders {reserved}).</source>
        <translation>{part} 库存不足：需要 {qty}，可用 {free}（库存 {stock}，工单已预留 {reserved}）。</translation>
    </message>
    <message>
        <source>Gifts go with a sale: add at least one line that is sold.</source>
        <translation>赠品须随销售一同发出：请至少添加一行出售的配件。</translation>
    </message>
    <message>
        <source>Customer's phone</source>
        <translation>顾客电话</translation>
    </message>
    <message>
        <source>A counter sale is paid at once: on account is for company customers' repair orders.</source>
        <translation>配件零售须当场付款：挂账只用于单位客户的工单。</translation>
    </message>
    <message>
        <source>Payment method</source>
        <translation>付费方式</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>参考号</translation>
    </message>
    <message>
        <source>There is no counter sale with receipt number {number}.</source>
        <translation>没有收据号为 {number} 的配件零售。</translation>
    </message>
    <message>
        <source>{number} · {time} · {customer} · {total}</source>
        <translation>{number} · {time} · {customer} · {total}</translation>
    </message>
    <message>
        <source>walk-in customer</source>
        <translation>散客</translation>
    </message>
    <message>
        <source>General</source>
        <translation>通用</translation>
    </message>
    <message>
        <source>Wear part</source>
        <translation>易损件</translation>
    </message>
    <message>
        <source>Accessory</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Maintenance</source>
        <translation>保养</translation>
    </message>
    <message>
        <source>Body and paint</source>
        <translation>车身及漆面</translation>
    </message>
    <message>
        <source>no warranty</source>
        <translation>不保修</translation>
    </message>
    <message>
        <source>{n} year(s)</source>
        <translation>{n} 年</translation>
    </message>
    <message>
        <source>{n} month(s)</source>
        <translation>{n} 个月</translation>
    </message>
    <message>
        <source>{n} days</source>
        <translation>{n} 天</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Excluded part</source>
        <translation>不保修部件</translation>
    </message>
    <message>
        <source>{item} is already excluded for {category}.</source>
        <translation>{item} 已是{category}的不保修部件。</translation>
    </message>
    <message>
        <source>Exclusion</source>
        <translation>不保修部件</translation>
    </message>
    <message>
        <source>{item} was removed from the list already.</source>
        <translation>{item} 已从清单中移除。</translation>
    </message>
    <message>
        <source>exchange</source>
        <extracomment>Case numbers: TH (退换) + date + sequence.</extracomment>
        <translation>换货</translation>
    </message>
    <message>
        <source>refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>Sale line</source>
        <translation>零售明细</translation>
    </message>
    <message>
        <source>{part} was a gift: gifts are neither exchanged nor under warranty.</source>
        <translation>{part} 是赠品：赠品不属于更换和保修范围。</translation>
    </message>
    <message>
        <source>Sold on {date}, {n} day(s) ago: within the {window}-day exchange (exchange or refund for a quality fault); warranty ({period}) until {end}.</source>
        <translation>{date} 售出，已 {n} 天：在 {window} 天调换期内（质量问题可换货或退款）；保修（{period}）至 {end}。</translation>
    </message>
    <message>
        <source>Sold on {date}, {n} days ago: the {window}-day exchange is over (no refund); under warranty ({period}) until {end}: a quality fault gets a replacement.</source>
        <translation>{date} 售出，已 {n} 天：{window} 天调换期已过（不退款）；保修（{period}）至 {end}：质量问题可换新。</translation>
    </message>
    <message>
        <source>Sold on {date}, {n} days ago: the warranty ({period}) ended on {end}. The customer pays for a repair or a new one.</source>
        <translation>{date} 售出，已 {n} 天：保修（{period}）已于 {end} 到期。维修或换新由顾客付费。</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>申请</translation>
    </message>
    <message>
        <source>Fault in the customer's words</source>
        <translation>故障描述（顾客原话）</translation>
    </message>
    <message>
        <source>A refund is possible only within {window} days of the sale. {why}</source>
        <translation>只有在购买之日起 {window} 天内才能退货退款。{why}</translation>
    </message>
    <message>
        <source>Receipt {number} sold {sold} of {part}; {left} can still be brought back.</source>
        <translation>收据 {number} 售出 {part} {sold}，还可退回 {left}。</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>退换单</translation>
    </message>
    <message>
        <source>{field}: answer yes or no.</source>
        <translation>{field}：请回答是或否。</translation>
    </message>
    <message>
        <source>Test report {report}: not a quality fault. The product goes back to the customer.</source>
        <translation>检测报告 {report}：非质量问题。产品寄回顾客。</translation>
    </message>
    <message>
        <source>The exterior (housing, aerial, display, lens) is damaged: this voids the exchange and the warranty.</source>
        <translation>外观（外壳、天线、显示屏、面镜）已损坏：不予调换，也不在保修范围内。</translation>
    </message>
    <message>
        <source>Parts, accessories or the packaging are missing: this voids the exchange.</source>
        <translation>配件、附件或包装缺失：不予调换。</translation>
    </message>
    <message>
        <source>{item} is not under the warranty of {category} (the shop's exclusion list).</source>
        <translation>{item} 不在{category}的保修范围内（本店不保修部件清单）。</translation>
    </message>
    <message>
        <source>Quality fault within the exchange window: the customer gets a replacement or the money back, with the general manager's approval.</source>
        <translation>调换期内的质量问题：经总经理同意后，为顾客换新或退款。</translation>
    </message>
    <message>
        <source>Quality fault under warranty: a replacement goes out within {n} days of receipt, with the general manager's approval.</source>
        <translation>保修期内的质量问题：经总经理同意后，自收到之日起 {n} 天内寄出新货。</translation>
    </message>
    <message>
        <source>Test report number</source>
        <translation>检测报告编号</translation>
    </message>
    <message>
        <source>Quality fault</source>
        <translation>质量问题</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>检测结果</translation>
    </message>
    <message>
        <source>Faulty part</source>
        <translation>故障部件</translation>
    </message>
    <message>
        <source>Exterior damaged</source>
        <translation>外观损坏</translation>
    </message>
    <message>
        <source>Parts missing</source>
        <translation>缺少配件</translation>
    </message>
    <message>
        <source>Counter case {case}: {request} of {qty} × {part} from receipt {receipt} ({customer}). Test report {report}: {findings}</source>
        <translation>配件零售退换单 {case}：收据 {receipt}（{customer}）中的 {qty} × {part} 申请{request}。检测报告 {report}：{findings}</translation>
    </message>
    <message>
        <source>Case {number} is {state}: an approval is asked only for a confirmed quality fault.</source>
        <translation>退换单 {number} 当前为“{state}”：只有确认为质量问题才能申请审批。</translation>
    </message>
    <message>
        <source>The general manager's approval of case {number} is {state}.</source>
        <translation>退换单 {number} 的总经理审批：{state}。</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>waiting for the general manager</source>
        <translation>等待总经理审批</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>已同意</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>approved and used</source>
        <translation>已同意并已执行</translation>
    </message>
    <message>
        <source>Not asked yet: without the general manager's approval the costs stay with the customer (rule 11).</source>
        <translation>尚未申请：未经总经理同意，一切费用由顾客承担（第十一条）。</translation>
    </message>
    <message>
        <source>General manager's approval: {state}</source>
        <translation>总经理审批：{state}</translation>
    </message>
    <message>
        <source>To {doing}, case {number} needs the general manager's approval: request it first. Without it the costs stay with the customer (rule 11).</source>
        <translation>要{doing}，退换单 {number} 需要总经理审批：请先申请。未经总经理同意，一切费用由顾客承担（第十一条）。</translation>
    </message>
    <message>
        <source>The customer of case {number} asked for a refund, not a replacement.</source>
        <translation>退换单 {number} 的顾客申请的是退款，不是换新。</translation>
    </message>
    <message>
        <source>Not enough {part} in stock for the replacement: {qty} needed, {free} free. Receive stock first.</source>
        <translation>{part} 库存不足，无法换新：需要 {qty}，可用 {free}。请先入库。</translation>
    </message>
    <message>
        <source>send the replacement</source>
        <translation>寄出新货</translation>
    </message>
    <message>
        <source>The customer of case {number} asked for an exchange, not a refund.</source>
        <translation>退换单 {number} 的顾客申请的是换货，不是退款。</translation>
    </message>
    <message>
        <source>Only {paid} was paid on receipt {number}; a refund cannot be more.</source>
        <translation>收据 {number} 只收了 {paid}，退款不能超过此数。</translation>
    </message>
    <message>
        <source>refund the product</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>Sent back without the general manager's approval: the costs stay with the customer (rule 11).</source>
        <translation>未经总经理同意而寄回：一切费用由顾客承担（第十一条）。</translation>
    </message>
    <message>
        <source>Overdue by {n} day: the replacement was due on {date}.</source>
        <translation>已逾期 {n} 天：应于 {date} 前寄出新货。</translation>
    </message>
    <message>
        <source>Overdue by {n} days: the replacement was due on {date}.</source>
        <translation>已逾期 {n} 天：应于 {date} 前寄出新货。</translation>
    </message>
</context>
<context>
    <name>CounterAction</name>
    <message>
        <source>confirm a quality fault</source>
        <translation>确认质量问题</translation>
    </message>
    <message>
        <source>record that it is not covered</source>
        <translation>记录为不在保修范围</translation>
    </message>
    <message>
        <source>send the replacement</source>
        <translation>寄出新货</translation>
    </message>
    <message>
        <source>refund the product</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>send the product back</source>
        <translation>寄回产品</translation>
    </message>
</context>
<context>
    <name>CounterState</name>
    <message>
        <source>Received, waiting for the test report</source>
        <extracomment>Who works at the accessory counter. Who writes the shop's test report: the counter's staff and the workshop's technicians. States in which the shop still holds the product (the "sent in" list).</extracomment>
        <translation>已收到，待检测</translation>
    </message>
    <message>
        <source>Quality fault confirmed</source>
        <translation>已确认质量问题</translation>
    </message>
    <message>
        <source>Not covered: to be sent back</source>
        <translation>不在保修范围：待寄回</translation>
    </message>
    <message>
        <source>Replacement sent</source>
        <translation>已寄出新货</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>已退款</translation>
    </message>
    <message>
        <source>Sent back to the customer</source>
        <translation>已寄回顾客</translation>
    </message>
    <message>
        <source>Cannot {action}: the case is {state}; this is possible only when it is {allowed}.</source>
        <translation>无法{action}：退换单当前为“{state}”；只有在“{allowed}”时才可以。</translation>
    </message>
</context>
<context>
    <name>CounterUi</name>
    <message>
        <source>Test report for case {number}</source>
        <translation>退换单 {number} 的检测报告</translation>
    </message>
    <message>
        <source>Record the test report</source>
        <translation>保存检测报告</translation>
    </message>
    <message>
        <source>Test report no.</source>
        <translation>检测报告编号</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>检测结果</translation>
    </message>
    <message>
        <source>Faulty part</source>
        <translation>故障部件</translation>
    </message>
    <message>
        <source>A quality fault (not caused by use)</source>
        <translation>质量问题（非人为）</translation>
    </message>
    <message>
        <source>Exterior damaged (housing, aerial, display, lens)</source>
        <translation>外观损坏（外壳、天线、显示屏、面镜）</translation>
    </message>
    <message>
        <source>Parts, accessories or packaging missing</source>
        <translation>配件、附件或包装缺失</translation>
    </message>
    <message>
        <source>Refund {amount} for case {number}</source>
        <translation>退换单 {number} 退款 {amount}</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>Payment method</source>
        <translation>付费方式</translation>
    </message>
    <message>
        <source>Test report…</source>
        <translation>检测报告…</translation>
    </message>
    <message>
        <source>Ask the general manager</source>
        <translation>申请总经理审批</translation>
    </message>
    <message>
        <source>Send the replacement</source>
        <translation>寄出新货</translation>
    </message>
    <message>
        <source>Refund…</source>
        <translation>退款…</translation>
    </message>
    <message>
        <source>Send back to the customer</source>
        <translation>寄回顾客</translation>
    </message>
    <message>
        <source>Print test report</source>
        <translation>打印检测报告</translation>
    </message>
    <message>
        <source>Choose a case to see its steps.</source>
        <translation>请选择一张退换单查看处理步骤。</translation>
    </message>
    <message>
        <source>Test report recorded: {decision}</source>
        <translation>检测报告已保存：{decision}</translation>
    </message>
    <message>
        <source>Asked the general manager to approve {amount} for case {number}.</source>
        <translation>已申请总经理审批退换单 {number} 的 {amount}。</translation>
    </message>
    <message>
        <source>The replacement for case {number} went out.</source>
        <translation>退换单 {number} 的新货已寄出。</translation>
    </message>
    <message>
        <source>Refunded {amount} for case {number}.</source>
        <translation>退换单 {number} 已退款 {amount}。</translation>
    </message>
    <message>
        <source>Case {number}: the product goes back. {note}</source>
        <translation>退换单 {number}：产品寄回。{note}</translation>
    </message>
    <message>
        <source>Send the product of case {number} back to the customer?</source>
        <translation>将退换单 {number} 的产品寄回顾客？</translation>
    </message>
    <message>
        <source>Without the general manager's approval the costs stay with the customer.</source>
        <translation>未经总经理同意，一切费用由顾客承担。</translation>
    </message>
    <message>
        <source>Send back</source>
        <translation>寄回</translation>
    </message>
    <message>
        <source>Case {number}: {request} of {qty} × {part} (receipt {receipt}), received {received}; {state}.</source>
        <translation>退换单 {number}：{qty} × {part} 申请{request}（收据 {receipt}），{received} 收到；{state}。</translation>
    </message>
    <message>
        <source>Sale</source>
        <translation>零售</translation>
    </message>
    <message>
        <source>Exchanges &amp; returns</source>
        <translation>调换与退货</translation>
    </message>
    <message>
        <source>Sent in for repair</source>
        <translation>送修产品</translation>
    </message>
    <message>
        <source>Accessory counter</source>
        <translation>配件零售</translation>
    </message>
    <message>
        <source>Take back {part}</source>
        <translation>收回 {part}</translation>
    </message>
    <message>
        <source>Take it back</source>
        <translation>收回</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>The customer asks for</source>
        <translation>顾客申请</translation>
    </message>
    <message>
        <source>Fault in the customer's words</source>
        <translation>故障描述（顾客原话）</translation>
    </message>
    <message>
        <source>Receipt number (LS…) or the customer's phone</source>
        <translation>收据号（LS…）或顾客电话</translation>
    </message>
    <message>
        <source>Find the sale</source>
        <translation>查找零售</translation>
    </message>
    <message>
        <source>Receipt no.</source>
        <translation>收据号</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>售出时间</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>配件</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Gift</source>
        <translation>赠品</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>Take the product back…</source>
        <translation>收回产品…</translation>
    </message>
    <message>
        <source>Cases of this sale</source>
        <translation>本笔零售的退换单</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>退换单</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>申请</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Replacement due</source>
        <translation>新货寄出期限</translation>
    </message>
    <message>
        <source>No counter sale has the receipt number or phone {key}.</source>
        <translation>没有收据号或电话为 {key} 的配件零售。</translation>
    </message>
    <message>
        <source>Choose a line of the sale to see what it allows today.</source>
        <translation>请选择一行，查看今天可以如何处理。</translation>
    </message>
    <message>
        <source>Case {number} opened: a replacement is due by {due}.</source>
        <translation>已开退换单 {number}：须于 {due} 前寄出新货。</translation>
    </message>
    <message>
        <source>A gift costs nothing and is neither exchanged nor under warranty.</source>
        <translation>赠品不收费，不属于更换和保修范围。</translation>
    </message>
    <message>
        <source>Add to the basket</source>
        <translation>加入清单</translation>
    </message>
    <message>
        <source>Part no.</source>
        <translation>备品编号</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Warranty</source>
        <translation>保修期</translation>
    </message>
    <message>
        <source>Remove the line</source>
        <translation>删除该行</translation>
    </message>
    <message>
        <source>Customer (optional)</source>
        <translation>顾客（选填）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>付款</translation>
    </message>
    <message>
        <source>the exact amount</source>
        <translation>与应收金额相同</translation>
    </message>
    <message>
        <source>Cash handed over</source>
        <translation>实收现金</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>参考号</translation>
    </message>
    <message>
        <source>Take payment and sell</source>
        <translation>收款并售出</translation>
    </message>
    <message>
        <source>Today's sales</source>
        <translation>今日零售</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Print receipt</source>
        <translation>打印收据</translation>
    </message>
    <message>
        <source>Your roles do not allow this.</source>
        <translation>您的角色无权执行此操作。</translation>
    </message>
    <message>
        <source>Choose a part from the list.</source>
        <translation>请从列表中选择配件。</translation>
    </message>
    <message>
        <source>Sold: receipt {number}, {total}.</source>
        <translation>已售出：收据 {number}，{total}。</translation>
    </message>
    <message>
        <source>Change: {change}.</source>
        <translation>找零：{change}。</translation>
    </message>
    <message>
        <source>Price {price} per {unit}; warranty {period}.</source>
        <translation>单价 {price}/{unit}；保修 {period}。</translation>
    </message>
    <message>
        <source>Total {total}</source>
        <translation>合计 {total}</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>收到时间</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>{n} product held by the shop</source>
        <translation>本店保管的产品 {n} 件</translation>
    </message>
    <message>
        <source>{n} products held by the shop</source>
        <translation>本店保管的产品 {n} 件</translation>
    </message>
    <message>
        <source>{n} replacement late</source>
        <translation>逾期未换新 {n} 件</translation>
    </message>
    <message>
        <source>{n} replacements late</source>
        <translation>逾期未换新 {n} 件</translation>
    </message>
</context>
<context>
    <name>Customers</name>
    <message>
        <source>Preferred contact time</source>
        <translation>方便联系时间</translation>
    </message>
    <message>
        <source>The preferred contact time {text} is not a valid time range.</source>
        <translation>方便联系时间 {text} 不是有效的时间段。</translation>
    </message>
    <message>
        <source>Customer type</source>
        <translation>客户类型</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Credit limit</source>
        <translation>挂账额度</translation>
    </message>
    <message>
        <source>Only company customers can settle on account (credit limit).</source>
        <translation>只有单位客户可以挂账（设置挂账额度）。</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>{field} must be a date (YYYY-MM-DD).</source>
        <translation>{field}必须是日期（YYYY-MM-DD）。</translation>
    </message>
    <message>
        <source>{field} cannot be in the future.</source>
        <translation>{field}不能晚于今天。</translation>
    </message>
    <message>
        <source>no owner recorded</source>
        <translation>未登记车主</translation>
    </message>
    <message>
        <source>The VIN {vin} is already on file: vehicle {vehicle}, owner {owner}.</source>
        <translation>车架号 {vin} 已登记：车辆 {vehicle}，车主 {owner}。</translation>
    </message>
    <message>
        <source>The plate {plate} is already on file: vehicle {vehicle} (VIN {vin}), owner {owner}.</source>
        <translation>车牌 {plate} 已登记：车辆 {vehicle}（车架号 {vin}），车主 {owner}。</translation>
    </message>
    <message>
        <source>Model year</source>
        <translation>年款</translation>
    </message>
    <message>
        <source>Sale date</source>
        <translation>销售日期</translation>
    </message>
    <message>
        <source>Warranty start</source>
        <translation>保修起始日</translation>
    </message>
    <message>
        <source>Odometer (km)</source>
        <translation>行驶里程（公里）</translation>
    </message>
    <message>
        <source>Make</source>
        <translation>品牌</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>车型</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>{name} already owns this vehicle.</source>
        <translation>{name} 已是该车车主。</translation>
    </message>
    <message>
        <source>Owner since</source>
        <translation>车主起始日期</translation>
    </message>
    <message>
        <source>The new ownership cannot start before the current one ({date}).</source>
        <translation>新车主的起始日期不能早于当前车主的起始日期（{date}）。</translation>
    </message>
    <message>
        <source>{record}: the details are not readable.</source>
        <translation>{record}：资料无法读取。</translation>
    </message>
    <message>
        <source>{record}: unknown details {names}.</source>
        <translation>{record}：未知的资料项 {names}。</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>{km} km is lower than the last reading of {last} km. Please check the odometer; if it is right (e.g. the instrument cluster was replaced), confirm with a reason.</source>
        <translation>{km} 公里低于上次记录的 {last} 公里。请核对里程表；如确实如此（例如更换过仪表），请填写原因确认。</translation>
    </message>
</context>
<context>
    <name>DataExport</name>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Second phone</source>
        <translation>备用电话</translation>
    </message>
    <message>
        <source>Preferred contact time</source>
        <translation>方便联系时间</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <source>VIN</source>
        <translation>车架号</translation>
    </message>
    <message>
        <source>Make and model</source>
        <translation>品牌车型</translation>
    </message>
    <message>
        <source>Choose the file to export to.</source>
        <translation>请选择要导出到的文件。</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>The file {path} could not be written: {error}</source>
        <translation>无法写入文件 {path}：{error}</translation>
    </message>
</context>
<context>
    <name>Database</name>
    <message>
        <source>This file is not a shop-desk database (it has no schema version).</source>
        <extracomment>The triggers that keep the audit log append-only in an SQLite file (see _audit_triggers); a server's are :data:`shop_desk.postgres.AUDIT_TRIGGERS`. version -&gt; step that brings a database from version-1 to version. Extras a fresh database needs beyond create_tables (idempotent).</extracomment>
        <translation>此文件不是 shop-desk 数据库（没有结构版本）。</translation>
    </message>
    <message>
        <source>This database was made by a newer version of shop-desk (schema {found}, this program knows up to {latest}). Please update shop-desk on this PC.</source>
        <translation>此数据库由更新版本的 shop-desk 创建（结构版本 {found}，本程序最高支持 {latest}）。请在本机更新 shop-desk。</translation>
    </message>
    <message>
        <source>Upgrading the database to schema {version} failed ({error}). It was left unchanged at schema {current}; nothing was lost.</source>
        <translation>数据库升级到结构版本 {version} 失败（{error}）。数据库保持在版本 {current} 未变，没有丢失数据。</translation>
    </message>
</context>
<context>
    <name>Demo</name>
    <message>
        <source>The demo could not book an appointment on {date} from {time}.</source>
        <translation>演示数据无法在 {date} {time} 起预约。</translation>
    </message>
    <message>
        <source>The shop is not open on any day of the year.</source>
        <extracomment>Why the demo's supervisor lets a technician work past a lapsed certificate. Calendar days of finished work before the demo's day (six weeks). How many progress lines a build of the demo shop says (the last one is "saving"). A half-built file left by a build that was killed is removed after this long unchanged.</extracomment>
        <translation>本店全年没有任何营业日。</translation>
    </message>
    <message>
        <source>The demo database {path} could not be completed.</source>
        <translation>演示数据库 {path} 未能完成。</translation>
    </message>
    <message>
        <source>{path} exists already; it is never overwritten.</source>
        <translation>{path} 已存在，不会被覆盖。</translation>
    </message>
    <message>
        <source>saving</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Building the demo shop: {step}/{total} {what}…</source>
        <translation>正在创建演示门店：{step}/{total} {what}…</translation>
    </message>
    <message>
        <source>staff and catalogues</source>
        <extracomment>The insurer catalogue of the demo shop (保险公司 and their claims lines).</extracomment>
        <translation>员工与工时项目、配件目录</translation>
    </message>
    <message>
        <source>customers and cars</source>
        <translation>顾客与车辆</translation>
    </message>
    <message>
        <source>{days} days of history</source>
        <translation>{days} 天的历史记录</translation>
    </message>
    <message>
        <source>comebacks, calls and complaints</source>
        <translation>返修、来电登记与投诉</translation>
    </message>
    <message>
        <source>today's workshop</source>
        <translation>今日车间</translation>
    </message>
    <message>
        <source>appointments</source>
        <translation>预约</translation>
    </message>
</context>
<context>
    <name>Display</name>
    <message>
        <source>Customer lounge display</source>
        <extracomment>How often the display asks whether the database changed (ms); well inside 2 s. Seconds each page stays before the next one when the cars do not fit on one. Busy timeout of the display's read connection: a locked file must not freeze the screen.</extracomment>
        <translation>顾客休息区看板</translation>
    </message>
    <message>
        <source>Workshop display</source>
        <translation>车间看板</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>车型</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>班组</translation>
    </message>
    <message>
        <source>Promised</source>
        <translation>预计完工</translation>
    </message>
    <message>
        <source>Field: {state}</source>
        <translation>外出服务:{state}</translation>
    </message>
    <message>
        <source>Waiting for a bay</source>
        <translation>等待进厂维修</translation>
    </message>
    <message>
        <source>Being worked on</source>
        <translation>维修中</translation>
    </message>
    <message>
        <source>Waiting for parts to arrive</source>
        <translation>等待配件到货</translation>
    </message>
    <message>
        <source>Waiting for your approval</source>
        <translation>等待您确认增项</translation>
    </message>
    <message>
        <source>Quality check</source>
        <translation>质量检验</translation>
    </message>
    <message>
        <source>Car wash</source>
        <translation>洗车</translation>
    </message>
    <message>
        <source>Ready for pickup</source>
        <translation>可以提车</translation>
    </message>
    <message>
        <source>arrived {time} late</source>
        <translation>迟到 {time}</translation>
    </message>
    <message>
        <source>on site</source>
        <translation>已到现场</translation>
    </message>
    <message>
        <source>Service progress</source>
        <translation>维修进度</translation>
    </message>
    <message>
        <source>Workshop</source>
        <translation>车间</translation>
    </message>
    <message>
        <source>● Reconnecting…</source>
        <translation>● 正在重新连接…</translation>
    </message>
    <message>
        <source>Page {n} / {count}</source>
        <translation>第 {n} / {count} 页</translation>
    </message>
    <message>
        <source>Connecting to the database…</source>
        <translation>正在连接数据库…</translation>
    </message>
    <message>
        <source>No cars in the workshop right now.</source>
        <translation>车间目前没有车辆。</translation>
    </message>
    <message>
        <source>overdue {time}</source>
        <translation>已超时 {time}</translation>
    </message>
    <message>
        <source>in {time}</source>
        <translation>还有 {time}</translation>
    </message>
    <message>
        <source>{n} / {count}</source>
        <translation>{n} / {count}</translation>
    </message>
    <message>
        <source>Screen {n} does not exist (screens 0 to {last}); using the main screen.</source>
        <translation>屏幕 {n} 不存在（可用屏幕 0 至 {last}），改用主屏幕。</translation>
    </message>
    <message>
        <source>Database file not found: {path}</source>
        <translation>找不到数据库文件：{path}</translation>
    </message>
</context>
<context>
    <name>Estimate</name>
    <message>
        <source>Standard 5,000 km service</source>
        <extracomment>Standard jobs offered as one-click buttons: labour-operation code and its usual parts. A shop without these codes gets none of them; parts it lacks are taken from its history.</extracomment>
        <translation>5000公里常规保养</translation>
    </message>
    <message>
        <source>10,000 km service</source>
        <translation>10000公里保养</translation>
    </message>
    <message>
        <source>Front brake pads</source>
        <translation>更换前刹车片</translation>
    </message>
    <message>
        <source>Wiper blades</source>
        <translation>更换雨刮片</translation>
    </message>
    <message>
        <source>Customer pays</source>
        <translation>客户付费</translation>
    </message>
    <message>
        <source>Warranty claim</source>
        <translation>索赔</translation>
    </message>
    <message>
        <source>Internal</source>
        <translation>内部</translation>
    </message>
    <message>
        <source>Goodwill</source>
        <translation>善意</translation>
    </message>
    <message>
        <source>Labour</source>
        <translation>工时</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>配件</translation>
    </message>
    <message>
        <source>{code} · {name} · {hours} h</source>
        <translation>{code} · {name} · {hours} 工时</translation>
    </message>
    <message>
        <source>{code} · {name} · {price} · {available} available</source>
        <translation>{code} · {name} · {price} · 可用 {available}</translation>
    </message>
    <message>
        <source>short {short} · {free} free in stock</source>
        <translation>缺 {short} · 库存可用 {free}</translation>
    </message>
    <message>
        <source>reserved {reserved} · {free} more free</source>
        <translation>已预留 {reserved} · 另有 {free} 可用</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Hours / qty</source>
        <translation>工时 / 数量</translation>
    </message>
    <message>
        <source>Rate / price</source>
        <translation>工时单价 / 单价</translation>
    </message>
    <message>
        <source>Pay type</source>
        <translation>付费类型</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>The request waits for the general manager; once approved, make the change again.</source>
        <translation>申请正在等待总经理审批；批准后请再做一次该修改。</translation>
    </message>
    <message>
        <source>Labour {amount}</source>
        <translation>工时费 {amount}</translation>
    </message>
    <message>
        <source>Parts {amount}</source>
        <translation>备品费 {amount}</translation>
    </message>
    <message>
        <source>Warranty claim {amount}</source>
        <translation>保修索赔 {amount}</translation>
    </message>
    <message>
        <source>{hours} h</source>
        <translation>{hours} 工时</translation>
    </message>
    <message>
        <source>Customer pays &lt;b&gt;{total}&lt;/b&gt; (incl. {rate}% tax {tax})</source>
        <translation>客户应付 &lt;b&gt;{total}&lt;/b&gt;（含 {rate}% 税 {tax}）</translation>
    </message>
    <message>
        <source>Suggested {time} from {hours} h of work and the workshop's load.</source>
        <translation>按 {hours} 工时及车间负荷，建议 {time}。</translation>
    </message>
    <message>
        <source>{job}: {n} lines added to the estimate.</source>
        <translation>{job}：已在费用估算中添加 {n} 项。</translation>
    </message>
    <message>
        <source>Added {name}.</source>
        <translation>已添加：{name}。</translation>
    </message>
    <message>
        <source>Removed {name}.</source>
        <translation>已删除：{name}。</translation>
    </message>
</context>
<context>
    <name>EstimateForm</name>
    <message>
        <source>&amp;Add to the estimate</source>
        <translation>添加到费用估算(&amp;A)</translation>
    </message>
    <message>
        <source>Labour operation or part: type a code or a name</source>
        <translation>工时项目或备品：输入代码或名称</translation>
    </message>
    <message>
        <source>Catalogue matches</source>
        <translation>目录中的匹配项</translation>
    </message>
    <message>
        <source>Standard jobs:</source>
        <translation>常用项目：</translation>
    </message>
    <message>
        <source>Estimate lines</source>
        <translation>估算项目</translation>
    </message>
    <message>
        <source>&amp;Remove line</source>
        <translation>删除此项(&amp;R)</translation>
    </message>
    <message>
        <source>Double-click hours, quantity, price or pay type to change them.</source>
        <translation>双击工时、数量、单价或付费方式即可修改。</translation>
    </message>
    <message>
        <source>Diagnosis needed: the price of the repair follows after the diagnosis.</source>
        <translation>需诊断：维修价格在诊断后告知。</translation>
    </message>
    <message>
        <source>&amp;Promised completion time</source>
        <translation>预计完工时间(&amp;P)</translation>
    </message>
    <message>
        <source>Use the suggestion</source>
        <translation>采用建议时间</translation>
    </message>
</context>
<context>
    <name>Expenses</name>
    <message>
        <source>Receipt {n} is not valid.</source>
        <extracomment>Claims are made once the crew is back.</extracomment>
        <translation>票据 {n} 无效。</translation>
    </message>
    <message>
        <source>Kind of expense</source>
        <translation>费用类型</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Place on the ticket</source>
        <translation>票据地点</translation>
    </message>
    <message>
        <source>The photo of receipt {n} is larger than 10 MB.</source>
        <translation>票据 {n} 的照片超过 10 MB。</translation>
    </message>
    <message>
        <source>Receipt {n} needs a photo of the receipt.</source>
        <translation>票据 {n} 需要票据照片。</translation>
    </message>
    <message>
        <source>The ticket of receipt {n} is for {place}, not for the job's destination {destination}; it is not reimbursed.</source>
        <translation>票据 {n} 的地点为{place},与出差地{destination}不符;不予报销。</translation>
    </message>
    <message>
        <source>Receipt {n}: name the tool that was bought.</source>
        <translation>票据 {n}:请写明所购工具名称。</translation>
    </message>
    <message>
        <source>Expenses of {number} are claimed once the crew is back.</source>
        <translation>{number} 的费用须在人员返回后报销。</translation>
    </message>
    <message>
        <source>Receipts</source>
        <translation>票据</translation>
    </message>
    <message>
        <source>Add at least one receipt.</source>
        <translation>请至少添加一张票据。</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>票据</translation>
    </message>
    <message>
        <source>This receipt is not for a tool.</source>
        <translation>这张票据不是工具票据。</translation>
    </message>
    <message>
        <source>{tool} was returned to the warehouse already.</source>
        <translation>{tool} 已退回仓库入库。</translation>
    </message>
    <message>
        <source>Expense claim</source>
        <translation>报销单</translation>
    </message>
    <message>
        <source>Cannot {doing}: expense claim {number} is {state}.</source>
        <translation>无法{doing}:报销单 {number} 为{state}。</translation>
    </message>
    <message>
        <source>approve the claim</source>
        <translation>审批报销单</translation>
    </message>
    <message>
        <source>Nobody approves their own expense claim.</source>
        <translation>不能审批自己的报销单。</translation>
    </message>
    <message>
        <source>reject the claim</source>
        <translation>驳回报销单</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>pay the claim</source>
        <translation>支付报销单</translation>
    </message>
    <message>
        <source>waiting for approval</source>
        <translation>待审批</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>已审批</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>已支付</translation>
    </message>
    <message>
        <source>Travel ticket</source>
        <translation>车船票</translation>
    </message>
    <message>
        <source>Lodging</source>
        <translation>住宿</translation>
    </message>
    <message>
        <source>Fuel</source>
        <translation>燃油</translation>
    </message>
    <message>
        <source>Tool bought on the road</source>
        <translation>途中购买的工具</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>Yes</source>
        <extracomment>Characters Excel does not allow in a sheet name, and its length limit.</extracomment>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Could not write {path}: {error}</source>
        <translation>无法写入 {path}：{error}</translation>
    </message>
</context>
<context>
    <name>Field</name>
    <message>
        <source>Field job</source>
        <extracomment>The rulebook: a service call is answered (dispatched) within 24 hours. States in which parts may be taken out for the job / brought back. (also before setting off: a job called off with parts already out gives them back) The quote and the customer's agreement come before the work starts. The service report and survey are filled in after the work.</extracomment>
        <translation>外出服务单</translation>
    </message>
    <message>
        <source>Cannot {doing}: field job {number} is {state}.</source>
        <translation>无法{doing}:外出服务单 {number} 为{state}。</translation>
    </message>
    <message>
        <source>{name} was not dispatched on field job {number}; the crew records it.</source>
        <translation>{name} 未被派遣到外出服务单 {number};由派遣人员登记。</translation>
    </message>
    <message>
        <source>{field} must be a date and time.</source>
        <translation>{field}必须是日期和时间。</translation>
    </message>
    <message>
        <source>{field} is in the past: {when}.</source>
        <translation>{field}已过去:{when}。</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>来电</translation>
    </message>
    <message>
        <source>Choose the customer.</source>
        <translation>请选择客户。</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Kind of job</source>
        <translation>服务类型</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>What the customer needs</source>
        <translation>客户需求</translation>
    </message>
    <message>
        <source>Customer's required arrival time</source>
        <translation>客户要求到达时间</translation>
    </message>
    <message>
        <source>Crew</source>
        <translation>派遣人员</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>员工</translation>
    </message>
    <message>
        <source>{name} is not an active technician.</source>
        <translation>{name} 不是在职的维修技师。</translation>
    </message>
    <message>
        <source>{name} is listed twice.</source>
        <translation>{name} 重复列出。</translation>
    </message>
    <message>
        <source>Choose at least one person to send.</source>
        <translation>请至少选择一名派遣人员。</translation>
    </message>
    <message>
        <source>Service vehicle</source>
        <translation>服务车辆</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>Promised arrival time</source>
        <translation>承诺到达时间</translation>
    </message>
    <message>
        <source>Return the parts taken out for {number} to stock first.</source>
        <translation>请先将 {number} 领出的配件退料入库。</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Choose at least one part.</source>
        <translation>请至少选择一个配件。</translation>
    </message>
    <message>
        <source>{part} is listed twice.</source>
        <translation>{part} 重复列出。</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>take parts out</source>
        <translation>领出配件</translation>
    </message>
    <message>
        <source>Not enough {part} in stock: {qty} wanted, {free} free.</source>
        <translation>{part} 库存不足:需要 {qty},可用 {free}。</translation>
    </message>
    <message>
        <source>return parts to stock</source>
        <translation>退料入库</translation>
    </message>
    <message>
        <source>{qty} of {part} cannot come back: {out} were taken out for {number}.</source>
        <translation>{part} 无法退回 {qty}:{number} 只领出 {out}。</translation>
    </message>
    <message>
        <source>Field job {number} is within warranty: the work is free.</source>
        <translation>外出服务单 {number} 在保修期内:免费服务。</translation>
    </message>
    <message>
        <source>quote the work</source>
        <translation>报价</translation>
    </message>
    <message>
        <source>Parts</source>
        <translation>配件</translation>
    </message>
    <message>
        <source>Labour</source>
        <translation>工时</translation>
    </message>
    <message>
        <source>Travel</source>
        <translation>差旅</translation>
    </message>
    <message>
        <source>record the customer's agreement</source>
        <translation>登记客户同意</translation>
    </message>
    <message>
        <source>Quote the work first (parts, labour, travel); then the customer agrees.</source>
        <translation>请先报价(配件、工时、差旅),再由客户同意。</translation>
    </message>
    <message>
        <source>How the customer agreed</source>
        <translation>客户同意方式</translation>
    </message>
    <message>
        <source>Who agreed</source>
        <translation>同意人</translation>
    </message>
    <message>
        <source>Reason for the late arrival</source>
        <translation>迟到原因</translation>
    </message>
    <message>
        <source>The crew arrived after the customer's time ({due}); record the reason for the late arrival.</source>
        <translation>派遣人员晚于客户规定时间({due})到达;请登记迟到原因。</translation>
    </message>
    <message>
        <source>Field job {number} is outside warranty: the customer must agree to the quote (parts, labour, travel) before work starts.</source>
        <translation>外出服务单 {number} 已过保修期:开工前客户必须同意报价(配件、工时、差旅)。</translation>
    </message>
    <message>
        <source>Work done</source>
        <translation>已完成工作</translation>
    </message>
    <message>
        <source>Record which vehicle is towed in first.</source>
        <translation>请先登记拖回的车辆。</translation>
    </message>
    <message>
        <source>What was found</source>
        <translation>检查结果</translation>
    </message>
    <message>
        <source>record the call to the service centre</source>
        <translation>登记来电服务总部</translation>
    </message>
    <message>
        <source>Call the service centre before leaving the site (field job {number}); leaving without the call is a penalty case.</source>
        <translation>离开现场前请来电服务总部(外出服务单 {number});未来电擅自离开将被罚款。</translation>
    </message>
    <message>
        <source>The crew of {number} did call the service centre.</source>
        <translation>{number} 的派遣人员已来电服务总部。</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>事情经过</translation>
    </message>
    <message>
        <source>Field job {number} was not recorded as towed in.</source>
        <translation>外出服务单 {number} 未登记为拖回。</translation>
    </message>
    <message>
        <source>The car of {number} was received already on order {order}.</source>
        <translation>{number} 的车辆已在工单 {order} 上接车。</translation>
    </message>
    <message>
        <source>Towed in (field job {number}): {finding}</source>
        <translation>拖回(外出服务单 {number}):{finding}</translation>
    </message>
    <message>
        <source>the service report</source>
        <translation>售后服务报告单</translation>
    </message>
    <message>
        <source>the fault cause</source>
        <translation>故障原因</translation>
    </message>
    <message>
        <source>the solution</source>
        <translation>解决办法</translation>
    </message>
    <message>
        <source>the parts replaced, by name</source>
        <translation>更换零件名称</translation>
    </message>
    <message>
        <source>the customer's opinion</source>
        <translation>用户意见</translation>
    </message>
    <message>
        <source>the customer's satisfaction survey</source>
        <translation>客户满意度调查表</translation>
    </message>
    <message>
        <source>hand in the service report</source>
        <translation>提交售后服务报告单</translation>
    </message>
    <message>
        <source>Fault cause</source>
        <translation>故障原因</translation>
    </message>
    <message>
        <source>Solution</source>
        <translation>解决办法</translation>
    </message>
    <message>
        <source>Parts replaced</source>
        <translation>更换零件</translation>
    </message>
    <message>
        <source>Customer's opinion</source>
        <translation>用户意见</translation>
    </message>
    <message>
        <source>Missing: {missing}.</source>
        <translation>缺少:{missing}。</translation>
    </message>
    <message>
        <source>record the satisfaction survey</source>
        <translation>登记满意度调查表</translation>
    </message>
    <message>
        <source>Hand in the service report first.</source>
        <translation>请先提交售后服务报告单。</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>Signed by</source>
        <translation>签字人</translation>
    </message>
    <message>
        <source>Customer's comments</source>
        <translation>客户意见</translation>
    </message>
    <message>
        <source>Field job {number} cannot be closed; still missing: {missing}.</source>
        <translation>外出服务单 {number} 无法关闭;仍缺少:{missing}。</translation>
    </message>
    <message>
        <source>Breakdown on the road (rescue)</source>
        <extracomment>States in which people are out (the supervisor's "out now" list).</extracomment>
        <translation>道路救援</translation>
    </message>
    <message>
        <source>Fleet visit</source>
        <translation>车队上门服务</translation>
    </message>
    <message>
        <source>Mobile service visit</source>
        <translation>上门服务</translation>
    </message>
    <message>
        <source>Field job {number} was not found.</source>
        <extracomment>Document kinds (as shop_desk.printing.KINDS; repeated here so services need no ReportLab). The field-service forms go by the field job's number (FW…) and most field jobs have no repair order: their prints are kept in the audit log against the field job. The accessory counter's receipt goes by the sale's receipt number (LS…): a counter sale has no repair order, its prints are counted on the sale. Papers of their own records, not of a repair order: the supplier order (by its CG… number), a counter case's test report (by the case's TH… or the report's number) and an insurer's statement (by its DZ… number: the insurer and the day). Their prints are kept in the audit log against that record, like the field forms'.</extracomment>
        <translation>未找到外出服务单 {number}。</translation>
    </message>
</context>
<context>
    <name>FieldAction</name>
    <message>
        <source>dispatch</source>
        <translation>派遣</translation>
    </message>
    <message>
        <source>record the departure</source>
        <translation>登记出发</translation>
    </message>
    <message>
        <source>record the arrival</source>
        <translation>登记到达</translation>
    </message>
    <message>
        <source>start the work</source>
        <translation>开始作业</translation>
    </message>
    <message>
        <source>finish the work</source>
        <translation>完成作业</translation>
    </message>
    <message>
        <source>record that the car cannot be fixed on site</source>
        <translation>登记现场无法修复</translation>
    </message>
    <message>
        <source>leave the site</source>
        <translation>离开现场</translation>
    </message>
    <message>
        <source>record leaving without calling</source>
        <translation>登记未来电擅自离开</translation>
    </message>
    <message>
        <source>record the return</source>
        <translation>登记返回</translation>
    </message>
    <message>
        <source>close the field job</source>
        <translation>关闭外出服务单</translation>
    </message>
    <message>
        <source>cancel the field job</source>
        <translation>取消外出服务单</translation>
    </message>
</context>
<context>
    <name>FieldOffice</name>
    <message>
        <source>The photo cannot be shown.</source>
        <translation>无法显示该照片。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>{place} — matches the destination</source>
        <translation>{place} — 与服务地点相符</translation>
    </message>
    <message>
        <source>{place} — does NOT match the destination {destination}</source>
        <translation>{place} — 与服务地点 {destination} 不符</translation>
    </message>
    <message>
        <source>Not returned to the warehouse: not reimbursed</source>
        <translation>未交回仓库：不予报销</translation>
    </message>
    <message>
        <source>Returned to the warehouse {time} ({name})</source>
        <translation>已于 {time} 交回仓库（{name}）</translation>
    </message>
    <message>
        <source>Reject expense claim {number}</source>
        <translation>驳回报销单 {number}</translation>
    </message>
    <message>
        <source>Reject the claim</source>
        <translation>驳回报销单</translation>
    </message>
    <message>
        <source>Why it is not paid</source>
        <translation>不予报销的原因</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>A receipt is false: enter a disciplinary case for {name} in the penalty register</source>
        <translation>票据不实：在罚款登记中为 {name} 记一次违纪</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>All claims</source>
        <translation>全部报销单</translation>
    </message>
    <message>
        <source>Filter: claim, field job, claimant</source>
        <translation>筛选：报销单、外出服务单、报销人</translation>
    </message>
    <message>
        <source>Claim no.</source>
        <translation>报销单号</translation>
    </message>
    <message>
        <source>Field job</source>
        <translation>外出服务单</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>服务地点</translation>
    </message>
    <message>
        <source>Claimant</source>
        <translation>报销人</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>提交时间</translation>
    </message>
    <message>
        <source>Claimed</source>
        <translation>申报金额</translation>
    </message>
    <message>
        <source>Reimbursable</source>
        <translation>可报销金额</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>票据</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Place on the ticket</source>
        <translation>票据地点</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Tool returned?</source>
        <translation>工具是否交回？</translation>
    </message>
    <message>
        <source>Click a receipt to see it large.</source>
        <translation>点击票据查看大图。</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Reject…</source>
        <translation>驳回…</translation>
    </message>
    <message>
        <source>Pay</source>
        <translation>付款</translation>
    </message>
    <message>
        <source>No expense claim chosen.</source>
        <translation>未选择报销单。</translation>
    </message>
    <message>
        <source>&lt;b&gt;{number}&lt;/b&gt; for field job &lt;b&gt;{job}&lt;/b&gt; to {place} — claimed by {name} on {time}: {state}.</source>
        <translation>&lt;b&gt;{number}&lt;/b&gt;，外出服务单 &lt;b&gt;{job}&lt;/b&gt;，服务地点 {place} — {name} 于 {time} 提交：{state}。</translation>
    </message>
    <message>
        <source>Rejected by {name} on {time}: {reason}</source>
        <translation>{name} 于 {time} 驳回：{reason}</translation>
    </message>
    <message>
        <source>Approved by {name} on {time}.</source>
        <translation>{name} 于 {time} 批准。</translation>
    </message>
    <message>
        <source>Paid by {name} on {time}.</source>
        <translation>{name} 于 {time} 付款。</translation>
    </message>
    <message>
        <source>Nothing is reimbursed: the claim was rejected.</source>
        <translation>不予报销：报销单已被驳回。</translation>
    </message>
    <message>
        <source>Reimbursable: {amount} of {total} claimed.</source>
        <translation>可报销 {amount}（申报 {total}）。</translation>
    </message>
    <message>
        <source>Tools not returned to the warehouse are not reimbursed.</source>
        <translation>未交回仓库的工具不予报销。</translation>
    </message>
    <message>
        <source>Click to see the receipt large.</source>
        <translation>点击查看票据大图。</translation>
    </message>
    <message>
        <source>Receipt {n}: {kind} {amount}</source>
        <translation>票据 {n}：{kind} {amount}</translation>
    </message>
    <message>
        <source>{number} approved: {amount} to reimburse.</source>
        <translation>{number} 已批准：报销 {amount}。</translation>
    </message>
    <message>
        <source>Approve the claim</source>
        <translation>批准报销单</translation>
    </message>
    <message>
        <source>Approve {number} of {name}: {amount} is reimbursed. {note}</source>
        <translation>批准 {name} 的 {number}：报销 {amount}。{note}</translation>
    </message>
    <message>
        <source>{number} rejected.</source>
        <translation>{number} 已驳回。</translation>
    </message>
    <message>
        <source>{number} paid: {amount} to {name}.</source>
        <translation>{number} 已付款：{amount} 付给 {name}。</translation>
    </message>
    <message>
        <source>Pay the claim</source>
        <translation>支付报销款</translation>
    </message>
    <message>
        <source>Pay {amount} to {name} for {number}?</source>
        <translation>为 {number} 向 {name} 支付 {amount}？</translation>
    </message>
    <message>
        <source>Issue parts to field job {number}</source>
        <translation>为外出服务单 {number} 发料</translation>
    </message>
    <message>
        <source>Issue the parts</source>
        <translation>发料</translation>
    </message>
    <message>
        <source>Part:</source>
        <translation>备品：</translation>
    </message>
    <message>
        <source>Add to the list</source>
        <translation>加入清单</translation>
    </message>
    <message>
        <source>Remove from the list</source>
        <translation>从清单移除</translation>
    </message>
    <message>
        <source>Quantity:</source>
        <translation>数量：</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>备品</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Choose a part and a quantity.</source>
        <translation>请选择备品并填写数量。</translation>
    </message>
    <message>
        <source>Add the parts to the list first.</source>
        <translation>请先把备品加入清单。</translation>
    </message>
    <message>
        <source>Return unused parts of {number}</source>
        <translation>{number} 未用备品退料</translation>
    </message>
    <message>
        <source>Return to stock</source>
        <translation>退料入库</translation>
    </message>
    <message>
        <source>Out now</source>
        <translation>未退回</translation>
    </message>
    <message>
        <source>Coming back</source>
        <translation>退回数量</translation>
    </message>
    <message>
        <source>Type how many of each part come back unused.</source>
        <translation>填写每种备品未使用退回的数量。</translation>
    </message>
    <message>
        <source>Field jobs out</source>
        <translation>外出中的服务单</translation>
    </message>
    <message>
        <source>Issue parts…</source>
        <translation>发料…</translation>
    </message>
    <message>
        <source>Return unused parts…</source>
        <translation>退料…</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Crew</source>
        <translation>派遣人员</translation>
    </message>
    <message>
        <source>Required arrival</source>
        <translation>要求到达时间</translation>
    </message>
    <message>
        <source>Parts out</source>
        <translation>领出备品</translation>
    </message>
    <message>
        <source>Part no.</source>
        <translation>备品编号</translation>
    </message>
    <message>
        <source>Taken out</source>
        <translation>领出</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>Bin</source>
        <translation>库位</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>发料时间</translation>
    </message>
    <message>
        <source>Issued by</source>
        <translation>经手人</translation>
    </message>
    <message>
        <source>Tools bought on the road, not returned yet (not reimbursed until they are)</source>
        <translation>途中购买、尚未交回的工具（交回后方可报销）</translation>
    </message>
    <message>
        <source>Tool returned to the warehouse</source>
        <translation>工具已交回仓库</translation>
    </message>
    <message>
        <source>Tool</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>Bought by</source>
        <translation>购买人</translation>
    </message>
    <message>
        <source>Claim state</source>
        <translation>报销单状态</translation>
    </message>
    <message>
        <source>Parts out for {number}</source>
        <translation>{number} 领出的备品</translation>
    </message>
    <message>
        <source>Parts issued to {number}.</source>
        <translation>已为 {number} 发料。</translation>
    </message>
    <message>
        <source>Unused parts of {number} are back in stock.</source>
        <translation>{number} 未用的备品已退料入库。</translation>
    </message>
    <message>
        <source>{tool} is in the warehouse.</source>
        <translation>{tool} 已入库。</translation>
    </message>
    <message>
        <source>{tool} ({amount}, bought by {name} for {number}) is in the warehouse?</source>
        <translation>{tool}（{amount}，{name} 为 {number} 购买）已交回仓库？</translation>
    </message>
    <message>
        <source>Received in the warehouse</source>
        <translation>已入库</translation>
    </message>
    <message>
        <source>Add a key customer</source>
        <translation>添加重点客户</translation>
    </message>
    <message>
        <source>Add to the visit list</source>
        <translation>加入走访名单</translation>
    </message>
    <message>
        <source>Name, phone or plate, then Enter</source>
        <translation>姓名、电话或车牌，然后按回车</translation>
    </message>
    <message>
        <source>Find:</source>
        <translation>查找：</translation>
    </message>
    <message>
        <source>Customer:</source>
        <translation>顾客：</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Visit every:</source>
        <translation>走访周期：</translation>
    </message>
    <message>
        <source>Fleet size, contact person</source>
        <translation>车队规模、联系人</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>Nothing found. Try the phone number.</source>
        <translation>未找到。请试试电话号码。</translation>
    </message>
    <message>
        <source>Find the customer first (type, then Enter).</source>
        <translation>请先查找顾客（输入后按回车）。</translation>
    </message>
    <message>
        <source>Visit to {name}</source>
        <translation>走访 {name}</translation>
    </message>
    <message>
        <source>Record the visit</source>
        <translation>登记走访</translation>
    </message>
    <message>
        <source>Visited by:</source>
        <translation>走访人：</translation>
    </message>
    <message>
        <source>Day of the visit:</source>
        <translation>走访日期：</translation>
    </message>
    <message>
        <source>Kilometres a day, loads, roads, faults seen</source>
        <translation>每日里程、载重、路况、发现的故障</translation>
    </message>
    <message>
        <source>How the cars are used:</source>
        <translation>产品使用情况：</translation>
    </message>
    <message>
        <source>On design, assembly and workmanship</source>
        <translation>对设计、装配、工艺等方面的意见</translation>
    </message>
    <message>
        <source>Customer's opinions:</source>
        <translation>用户意见：</translation>
    </message>
    <message>
        <source>Only visits due by</source>
        <translation>只显示到期走访，截至</translation>
    </message>
    <message>
        <source>Filter: customer, phone</source>
        <translation>筛选：顾客、电话</translation>
    </message>
    <message>
        <source>Add a key customer…</source>
        <translation>添加重点客户…</translation>
    </message>
    <message>
        <source>Record a visit…</source>
        <translation>登记走访…</translation>
    </message>
    <message>
        <source>Take off the list</source>
        <translation>移出名单</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Visit every (days)</source>
        <translation>走访周期(天)</translation>
    </message>
    <message>
        <source>Next visit</source>
        <translation>下次走访</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation>上次走访</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Visited on</source>
        <translation>走访日期</translation>
    </message>
    <message>
        <source>Visited by</source>
        <translation>走访人</translation>
    </message>
    <message>
        <source>How the cars are used</source>
        <translation>产品使用情况</translation>
    </message>
    <message>
        <source>Customer's opinions</source>
        <translation>用户意见</translation>
    </message>
    <message>
        <source>Visit history</source>
        <translation>走访记录</translation>
    </message>
    <message>
        <source>Visit history of {name}</source>
        <translation>{name} 的走访记录</translation>
    </message>
    <message>
        <source>{name} is on the visit list; first visit due {day}.</source>
        <translation>{name} 已加入走访名单；首次走访日期 {day}。</translation>
    </message>
    <message>
        <source>Visit recorded; the next one is due {day}.</source>
        <translation>走访已登记；下次走访日期 {day}。</translation>
    </message>
    <message>
        <source>{name} is off the visit list.</source>
        <translation>{name} 已移出走访名单。</translation>
    </message>
    <message>
        <source>Take {name} off the key-customer list? Their visits stay on record.</source>
        <translation>将 {name} 移出重点客户名单？其走访记录仍然保留。</translation>
    </message>
    <message>
        <source>Major demerit from a verified complaint</source>
        <extracomment>How far back the month filter and the jobs to cite go.</extracomment>
        <translation>依据已核实的投诉记大过</translation>
    </message>
    <message>
        <source>Record the major demerit</source>
        <translation>记大过</translation>
    </message>
    <message>
        <source>{number} · {day} · {name} · {cause}</source>
        <translation>{number} · {day} · {name} · {cause}</translation>
    </message>
    <message>
        <source>Complaint:</source>
        <translation>投诉：</translation>
    </message>
    <message>
        <source>No verified complaint about rudeness, money or gifts, delay or a repeat repair is waiting: a complaint counts once its investigation is done.</source>
        <translation>没有待处理的、已核实的关于态度、索要钱物、拖延或返修的投诉：投诉调查完成后才计入。</translation>
    </message>
    <message>
        <source>{description}
A major demerit of {amount} for {name}.</source>
        <translation>{description}
对 {name} 记大过，罚款 {amount}。</translation>
    </message>
    <message>
        <source>Did not follow the dispatch</source>
        <translation>不服从统一指挥</translation>
    </message>
    <message>
        <source>Record the case</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Field job:</source>
        <translation>外出服务单：</translation>
    </message>
    <message>
        <source>Person:</source>
        <translation>人员：</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>事情经过</translation>
    </message>
    <message>
        <source>What happened:</source>
        <translation>事情经过：</translation>
    </message>
    <message>
        <source>Amount set by the shop: {amount}.</source>
        <translation>本店规定金额：{amount}。</translation>
    </message>
    <message>
        <source>{name} (on the crew)</source>
        <translation>{name}（派遣人员）</translation>
    </message>
    <message>
        <source>Month:</source>
        <translation>月份：</translation>
    </message>
    <message>
        <source>All months</source>
        <translation>全部月份</translation>
    </message>
    <message>
        <source>Major demerit from a verified complaint…</source>
        <translation>依据已核实的投诉记大过…</translation>
    </message>
    <message>
        <source>Did not follow the dispatch…</source>
        <translation>不服从统一指挥…</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Case no.</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation>记录人</translation>
    </message>
    <message>
        <source>Totals per person</source>
        <translation>按人员合计</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>次数</translation>
    </message>
    <message>
        <source>Major demerits</source>
        <translation>记大过次数</translation>
    </message>
    <message>
        <source>Everybody</source>
        <translation>全部人员</translation>
    </message>
    <message>
        <source>{n} case, {amount} in all.</source>
        <translation>共 {n} 次，合计 {amount}。</translation>
    </message>
    <message>
        <source>{n} cases, {amount} in all.</source>
        <translation>共 {n} 次，合计 {amount}。</translation>
    </message>
    <message>
        <source>Recorded for {name}: {kind}, {amount}.</source>
        <translation>已为 {name} 登记：{kind}，{amount}。</translation>
    </message>
</context>
<context>
    <name>FieldState</name>
    <message>
        <source>Waiting for dispatch</source>
        <translation>待派遣</translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation>已派遣</translation>
    </message>
    <message>
        <source>On the way</source>
        <translation>途中</translation>
    </message>
    <message>
        <source>On site</source>
        <translation>已到现场</translation>
    </message>
    <message>
        <source>Working on site</source>
        <translation>现场作业中</translation>
    </message>
    <message>
        <source>Work finished</source>
        <translation>作业完成</translation>
    </message>
    <message>
        <source>Returning</source>
        <translation>返程中</translation>
    </message>
    <message>
        <source>Back at the shop</source>
        <translation>已返回</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Cannot {action}: the field job is {state}; this is possible only when it is {allowed}.</source>
        <translation>无法{action}:外出服务单为{state};只有在{allowed}时才可以。</translation>
    </message>
</context>
<context>
    <name>FieldTablet</name>
    <message>
        <source>In person</source>
        <translation>当面</translation>
    </message>
    <message>
        <source>By phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Signs on the tablet</source>
        <translation>在平板上签字</translation>
    </message>
    <message>
        <source>Next: the customer agrees to the quote</source>
        <translation>下一步：客户同意报价</translation>
    </message>
    <message>
        <source>This job is outside warranty and has not been quoted yet. Ask the service centre to quote it (parts, labour, travel); then the customer agrees here.</source>
        <translation>本单不在保修期内，尚未报价。请服务总部报价（配件、工时、差旅），然后由客户在此确认同意。</translation>
    </message>
    <message>
        <source>Check for the quote again</source>
        <translation>重新查看报价</translation>
    </message>
    <message>
        <source>Who agrees</source>
        <translation>同意人</translation>
    </message>
    <message>
        <source>Clear the signature</source>
        <translation>清除签字</translation>
    </message>
    <message>
        <source>The customer agrees</source>
        <translation>客户同意</translation>
    </message>
    <message>
        <source>Cannot fix on site…</source>
        <extracomment>The page shown once the crew has nothing left to do on the road.</extracomment>
        <translation>现场无法修复…</translation>
    </message>
    <message>
        <source>Quote: parts {parts} + labour {labour} + travel {travel} = {total}</source>
        <translation>报价：配件 {parts} + 工时 {labour} + 差旅 {travel} = {total}</translation>
    </message>
    <message>
        <source>The customer agreed to the quote: start the work.</source>
        <translation>客户已同意报价，可以开工。</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>车票</translation>
    </message>
    <message>
        <source>Lodging</source>
        <translation>住宿</translation>
    </message>
    <message>
        <source>Fuel</source>
        <translation>燃油</translation>
    </message>
    <message>
        <source>Tool</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Expense claim</source>
        <translation>报销单</translation>
    </message>
    <message>
        <source>What it was (a tool: its name)</source>
        <translation>费用内容（工具请写明名称）</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Place on the ticket</source>
        <translation>票据地点</translation>
    </message>
    <message>
        <source>Amount (¥)</source>
        <translation>金额（¥）</translation>
    </message>
    <message>
        <source>Photo of the receipt…</source>
        <translation>票据照片…</translation>
    </message>
    <message>
        <source>Add the receipt</source>
        <translation>添加票据</translation>
    </message>
    <message>
        <source>Hand in the expense claim</source>
        <translation>提交报销单</translation>
    </message>
    <message>
        <source>Claims of this job</source>
        <translation>本单的报销单</translation>
    </message>
    <message>
        <source>Must match the job's destination: {place}</source>
        <translation>须与服务地点相符：{place}</translation>
    </message>
    <message>
        <source>A photo of every receipt; a ticket's place must match the destination; a tool bought on the road is paid once it is returned to the warehouse.</source>
        <translation>每张票据都需附照片；车票地点须与服务地点相符；外出购买的工具须退回仓库入库后方可报销。</translation>
    </message>
    <message>
        <source>Expenses are claimed once you are back at the shop.</source>
        <translation>返回公司后方可报销费用。</translation>
    </message>
    <message>
        <source>{number} · {when} · {total} · {state}</source>
        <translation>{number} · {when} · {total} · {state}</translation>
    </message>
    <message>
        <source>reimbursed {amount}</source>
        <translation>报销 {amount}</translation>
    </message>
    <message>
        <source>No claims yet.</source>
        <translation>尚无报销单。</translation>
    </message>
    <message>
        <source>1 receipt, total {total}</source>
        <translation>1 张票据，合计 {total}</translation>
    </message>
    <message>
        <source>{n} receipts, total {total}</source>
        <translation>{n} 张票据，合计 {total}</translation>
    </message>
    <message>
        <source>Photo of the receipt</source>
        <translation>票据照片</translation>
    </message>
    <message>
        <source>Pictures (*.jpg *.jpeg *.png)</source>
        <translation>图片 (*.jpg *.jpeg *.png)</translation>
    </message>
    <message>
        <source>The file could not be read: {error}</source>
        <translation>无法读取文件：{error}</translation>
    </message>
    <message>
        <source>The photo is larger than 10 MB; take a smaller one.</source>
        <translation>照片超过 10 MB，请换一张较小的照片。</translation>
    </message>
    <message>
        <source>{name} is not a JPEG or PNG picture.</source>
        <translation>{name} 不是 JPEG 或 PNG 图片。</translation>
    </message>
    <message>
        <source>Choose the kind of expense.</source>
        <translation>请选择费用类别。</translation>
    </message>
    <message>
        <source>Enter the amount.</source>
        <translation>请填写金额。</translation>
    </message>
    <message>
        <source>Add a photo of the receipt.</source>
        <translation>请添加票据照片。</translation>
    </message>
    <message>
        <source>No photo</source>
        <translation>无照片</translation>
    </message>
    <message>
        <source>Expense claim {number} handed in: 1 receipt, {total}, waiting for approval.</source>
        <translation>报销单 {number} 已提交：1 张票据，{total}，待审批。</translation>
    </message>
    <message>
        <source>Expense claim {number} handed in: {n} receipts, {total}, waiting for approval.</source>
        <translation>报销单 {number} 已提交：{n} 张票据，{total}，待审批。</translation>
    </message>
    <message>
        <source>Customer's time {required}</source>
        <translation>客户规定时间 {required}</translation>
    </message>
    <message>
        <source>promised {promised}</source>
        <translation>承诺 {promised}</translation>
    </message>
    <message>
        <source>Still missing: {missing}.</source>
        <translation>仍缺少：{missing}。</translation>
    </message>
    <message>
        <source>Service report and survey complete.</source>
        <translation>售后服务报告单和满意度调查表已齐全。</translation>
    </message>
    <message>
        <source>Expense claim {number}: {state}.</source>
        <translation>报销单 {number}：{state}。</translation>
    </message>
    <message>
        <source>My field jobs</source>
        <translation>我的外出服务</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>No field jobs for you now. A job appears here when the supervisor sends you out.</source>
        <translation>目前没有您的外出服务。车间主管派遣您外出后，任务会显示在这里。</translation>
    </message>
    <message>
        <source>{n} open</source>
        <translation>{n} 项未完成</translation>
    </message>
    <message>
        <source>Service report</source>
        <translation>售后服务报告单</translation>
    </message>
    <message>
        <source>Fault cause</source>
        <translation>故障原因</translation>
    </message>
    <message>
        <source>What caused the fault</source>
        <translation>故障是什么原因造成的</translation>
    </message>
    <message>
        <source>Solution</source>
        <translation>解决办法</translation>
    </message>
    <message>
        <source>How it was solved</source>
        <translation>如何解决的</translation>
    </message>
    <message>
        <source>Parts replaced (by name)</source>
        <translation>更换零件（写明名称）</translation>
    </message>
    <message>
        <source>Parts taken out for this job: tap one to add it.</source>
        <translation>本单领出的配件：点一下即可添加。</translation>
    </message>
    <message>
        <source>None, or the parts by name</source>
        <translation>无，或写明配件名称</translation>
    </message>
    <message>
        <source>Customer's opinion</source>
        <translation>用户意见</translation>
    </message>
    <message>
        <source>What the customer says</source>
        <translation>客户的意见</translation>
    </message>
    <message>
        <source>Hand in the service report</source>
        <translation>提交售后服务报告单</translation>
    </message>
    <message>
        <source>The service report is written once the work is finished.</source>
        <translation>作业完成后填写售后服务报告单。</translation>
    </message>
    <message>
        <source>Not handed in yet.</source>
        <translation>尚未提交。</translation>
    </message>
    <message>
        <source>Handed in complete at {time}.</source>
        <translation>已于 {time} 完整提交。</translation>
    </message>
    <message>
        <source>Handed in incomplete at {time}: complete it and hand it in again.</source>
        <translation>已于 {time} 提交但不完整：请补全后重新提交。</translation>
    </message>
    <message>
        <source>The report is complete.</source>
        <translation>报告已填写完整。</translation>
    </message>
    <message>
        <source>Incomplete service report</source>
        <translation>售后服务报告单不完整</translation>
    </message>
    <message>
        <source>Still missing: {missing}. An incomplete report is a penalty case and the job cannot be closed until it is complete. Hand it in anyway?</source>
        <translation>仍缺少：{missing}。报告不完整将被罚款，且补全之前本单无法关闭。仍然提交吗？</translation>
    </message>
    <message>
        <source>Hand in incomplete</source>
        <translation>仍然提交（不完整）</translation>
    </message>
    <message>
        <source>Service report handed in.</source>
        <translation>售后服务报告单已提交。</translation>
    </message>
    <message>
        <source>Next: set off</source>
        <translation>下一步：出发</translation>
    </message>
    <message>
        <source>Depart now</source>
        <translation>现在出发</translation>
    </message>
    <message>
        <source>Next: arrive on site</source>
        <translation>下一步：到达现场</translation>
    </message>
    <message>
        <source>Why you are late (traffic, the weather, a breakdown…)</source>
        <translation>迟到原因（交通、天气、车辆故障…）</translation>
    </message>
    <message>
        <source>Late for a personal reason</source>
        <translation>因个人原因迟到</translation>
    </message>
    <message>
        <source>Late for a personal reason is a penalty case for everyone on the crew.</source>
        <translation>因个人原因迟到，派遣的每位人员都将被罚款。</translation>
    </message>
    <message>
        <source>Arrived on site</source>
        <translation>已到达现场</translation>
    </message>
    <message>
        <source>Next: start the work</source>
        <translation>下一步：开工</translation>
    </message>
    <message>
        <source>Start work</source>
        <translation>开工</translation>
    </message>
    <message>
        <source>Next: finish the work</source>
        <translation>下一步：完工</translation>
    </message>
    <message>
        <source>What was done</source>
        <translation>完成的工作</translation>
    </message>
    <message>
        <source>The work done on site, in a few words</source>
        <translation>简要写明现场完成的工作</translation>
    </message>
    <message>
        <source>Work finished</source>
        <translation>完工</translation>
    </message>
    <message>
        <source>Cannot fix on site: the car is towed in</source>
        <translation>现场无法修复：车辆拖回</translation>
    </message>
    <message>
        <source>Say what you found. The car is towed to the workshop, where reception opens its repair order linked to this job.</source>
        <translation>请写明检查发现的问题。车辆将拖回车间，由接车开具与本单关联的维修委托书。</translation>
    </message>
    <message>
        <source>What you found</source>
        <translation>检查发现的问题</translation>
    </message>
    <message>
        <source>Cannot fix on site: tow it in</source>
        <translation>现场无法修复：拖回</translation>
    </message>
    <message>
        <source>Back to the step</source>
        <translation>返回本步骤</translation>
    </message>
    <message>
        <source>Next: call the service centre before you leave</source>
        <translation>下一步：离开前来电服务总部</translation>
    </message>
    <message>
        <source>Leaving the site without calling the service centre is a penalty case.</source>
        <translation>未来电服务总部擅自离开现场将被罚款。</translation>
    </message>
    <message>
        <source>I called the service centre</source>
        <translation>已来电服务总部</translation>
    </message>
    <message>
        <source>Next: leave the site</source>
        <translation>下一步：离开现场</translation>
    </message>
    <message>
        <source>Leave the site</source>
        <translation>离开现场</translation>
    </message>
    <message>
        <source>Next: return to base</source>
        <translation>下一步：返回公司</translation>
    </message>
    <message>
        <source>Back at base</source>
        <translation>已返回公司</translation>
    </message>
    <message>
        <source>Back at the shop</source>
        <translation>已返回</translation>
    </message>
    <message>
        <source>To: {place}</source>
        <translation>目的地：{place}</translation>
    </message>
    <message>
        <source>Service vehicle: {vehicle}</source>
        <translation>服务车辆：{vehicle}</translation>
    </message>
    <message>
        <source>Tools: {tools}</source>
        <translation>工具：{tools}</translation>
    </message>
    <message>
        <source>Parts taken out: {parts}</source>
        <translation>领出配件：{parts}</translation>
    </message>
    <message>
        <source>You are late: the customer set {due}. Record why you are late.</source>
        <translation>您已迟到：客户规定 {due} 到达。请登记迟到原因。</translation>
    </message>
    <message>
        <source>{name} agreed to the quote at {time}.</source>
        <translation>{name} 已于 {time} 同意报价。</translation>
    </message>
    <message>
        <source>Within warranty: the work is free.</source>
        <translation>在保修期内：免费服务。</translation>
    </message>
    <message>
        <source>Service centre: {phone}</source>
        <translation>服务总部：{phone}</translation>
    </message>
    <message>
        <source>Call the service centre and tell them the job is done.</source>
        <translation>请来电服务总部，告知作业已完成。</translation>
    </message>
    <message>
        <source>Service centre called at {time}.</source>
        <translation>已于 {time} 来电服务总部。</translation>
    </message>
    <message>
        <source>Left the site at {time}.</source>
        <translation>已于 {time} 离开现场。</translation>
    </message>
    <message>
        <source>The car is towed in; reception opens its repair order.</source>
        <translation>车辆拖回，由接车开具维修委托书。</translation>
    </message>
    <message>
        <source>The supervisor closes the job once the service report and the survey are complete. Still missing: {missing}.</source>
        <translation>售后服务报告单和满意度调查表齐全后，由车间主管关闭本单。仍缺少：{missing}。</translation>
    </message>
    <message>
        <source>The service report and the survey are complete: the supervisor closes the job.</source>
        <translation>售后服务报告单和满意度调查表已齐全，由车间主管关闭本单。</translation>
    </message>
    <message>
        <source>Claim your expenses under Expenses.</source>
        <translation>请在“费用”中报销费用。</translation>
    </message>
    <message>
        <source>Departed. Drive safely.</source>
        <translation>已出发。请注意行车安全。</translation>
    </message>
    <message>
        <source>Arrived on site.</source>
        <translation>已到达现场。</translation>
    </message>
    <message>
        <source>Work started.</source>
        <translation>已开工。</translation>
    </message>
    <message>
        <source>Work finished. Call the service centre before you leave.</source>
        <translation>已完工。离开前请来电服务总部。</translation>
    </message>
    <message>
        <source>Recorded: the car is towed in. Call the service centre before you leave.</source>
        <translation>已登记：车辆拖回。离开前请来电服务总部。</translation>
    </message>
    <message>
        <source>Call to the service centre recorded.</source>
        <translation>已登记来电服务总部。</translation>
    </message>
    <message>
        <source>Left the site.</source>
        <translation>已离开现场。</translation>
    </message>
    <message>
        <source>Back at base. Hand in the service report and claim your expenses.</source>
        <translation>已返回公司。请提交售后服务报告单并报销费用。</translation>
    </message>
    <message>
        <source>Depart</source>
        <translation>出发</translation>
    </message>
    <message>
        <source>Arrive on site (late)</source>
        <translation>到达现场（迟到）</translation>
    </message>
    <message>
        <source>Arrive on site</source>
        <translation>到达现场</translation>
    </message>
    <message>
        <source>Customer agrees to the quote</source>
        <translation>客户同意报价</translation>
    </message>
    <message>
        <source>Cannot fix on site: towed in</source>
        <translation>现场无法修复：已拖回</translation>
    </message>
    <message>
        <source>Finish work</source>
        <translation>完工</translation>
    </message>
    <message>
        <source>Call the service centre</source>
        <translation>来电服务总部</translation>
    </message>
    <message>
        <source>Return to base</source>
        <translation>返回公司</translation>
    </message>
    <message>
        <source>Satisfaction survey</source>
        <translation>满意度调查表</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Very satisfied</source>
        <translation>非常满意</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Neutral</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>Dissatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>Very dissatisfied</source>
        <translation>非常不满意</translation>
    </message>
    <message>
        <source>How satisfied is the customer with the service?</source>
        <translation>客户对本次服务满意吗？</translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>The customer's words</source>
        <translation>客户原话</translation>
    </message>
    <message>
        <source>Signed by</source>
        <translation>签字人</translation>
    </message>
    <message>
        <source>Signed on paper</source>
        <translation>纸面签字</translation>
    </message>
    <message>
        <source>The customer filled in and signed the printed survey; it is scanned later.</source>
        <translation>客户已填写并签署纸质调查表，稍后扫描。</translation>
    </message>
    <message>
        <source>Save the survey</source>
        <translation>保存调查表</translation>
    </message>
    <message>
        <source>The customer fills in the survey once the work is finished.</source>
        <translation>作业完成后由客户填写满意度调查表。</translation>
    </message>
    <message>
        <source>Hand in the service report first; then the customer fills in the survey.</source>
        <translation>请先提交售后服务报告单，再由客户填写调查表。</translation>
    </message>
    <message>
        <source>Not filled in yet.</source>
        <translation>尚未填写。</translation>
    </message>
    <message>
        <source>signed on paper</source>
        <translation>纸面签字</translation>
    </message>
    <message>
        <source>signed on the tablet</source>
        <translation>平板签字</translation>
    </message>
    <message>
        <source>Recorded at {time}: {score} – {words}, {signer}, {how}.</source>
        <translation>已于 {time} 登记：{score} – {words}，{signer}，{how}。</translation>
    </message>
    <message>
        <source>Satisfaction survey saved. Thank the customer.</source>
        <translation>满意度调查表已保存。请向客户致谢。</translation>
    </message>
    <message>
        <source>‹ My field jobs</source>
        <extracomment>The job's tabs, in order. Late and overdue words follow the clock while the page is shown. The steps down the side (the rest of the width is the open section's).</extracomment>
        <translation>‹ 我的外出服务</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Survey</source>
        <translation>调查表</translation>
    </message>
    <message>
        <source>Expenses</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>Field job {number} is {state}.</source>
        <translation>外出服务单 {number}：{state}。</translation>
    </message>
    <message>
        <source>Promised: {time}.</source>
        <translation>承诺：{time}。</translation>
    </message>
    <message>
        <source>Arrived late at {time} (the customer set {due}).</source>
        <extracomment>The smallest touch target of the tablet view (a gloved finger on a 10-inch tablet). The one next action of a step.</extracomment>
        <translation>{time} 迟到到达（客户规定 {due}）。</translation>
    </message>
    <message>
        <source>Arrived on time at {time}.</source>
        <translation>已于 {time} 准时到达。</translation>
    </message>
    <message>
        <source>Overdue: the customer expected you on site by {due}.</source>
        <translation>已超时：客户要求 {due} 前到达现场。</translation>
    </message>
    <message>
        <source>Expected on site by {due}.</source>
        <translation>须于 {due} 前到达现场。</translation>
    </message>
</context>
<context>
    <name>FieldUi</name>
    <message>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <source>{h} h {m} min</source>
        <translation>{h} 小时 {m} 分钟</translation>
    </message>
    <message>
        <source>{n} h</source>
        <translation>{n} 小时</translation>
    </message>
    <message>
        <source>{d} d {h} h</source>
        <translation>{d} 天 {h} 小时</translation>
    </message>
    <message>
        <source>Within warranty (free)</source>
        <translation>保修期内（免费）</translation>
    </message>
    <message>
        <source>Outside warranty: not quoted yet</source>
        <translation>保修期外：尚未报价</translation>
    </message>
    <message>
        <source>Quoted ¥{total}: waiting for the customer</source>
        <translation>已报价 ¥{total}：等待客户同意</translation>
    </message>
    <message>
        <source>Quoted ¥{total}: agreed by {name}</source>
        <translation>已报价 ¥{total}：{name} 已同意</translation>
    </message>
    <message>
        <source>nobody yet</source>
        <translation>尚未派人</translation>
    </message>
    <message>
        <source>Register a field job</source>
        <translation>登记外出服务</translation>
    </message>
    <message>
        <source>&amp;Register</source>
        <translation>登记(&amp;R)</translation>
    </message>
    <message>
        <source>From a call:</source>
        <translation>来电记录：</translation>
    </message>
    <message>
        <source>— not from the call log —</source>
        <translation>— 非来电登记 —</translation>
    </message>
    <message>
        <source>&amp;Choose…</source>
        <translation>选择(&amp;C)…</translation>
    </message>
    <message>
        <source>Customer:</source>
        <translation>客户：</translation>
    </message>
    <message>
        <source>Vehicle:</source>
        <translation>车辆：</translation>
    </message>
    <message>
        <source>Kind of job:</source>
        <translation>服务类型：</translation>
    </message>
    <message>
        <source>Place:</source>
        <translation>地点：</translation>
    </message>
    <message>
        <source>Where to go: road and km, depot address, …</source>
        <translation>去哪里：道路及公里数、场站地址等</translation>
    </message>
    <message>
        <source>What the customer needs:</source>
        <translation>客户需求：</translation>
    </message>
    <message>
        <source>Customer's required arrival time:</source>
        <translation>客户要求到达时间：</translation>
    </message>
    <message>
        <source>Within warranty (the work is free)</source>
        <translation>保修期内（免费服务）</translation>
    </message>
    <message>
        <source>No customer chosen yet.</source>
        <translation>尚未选择客户。</translation>
    </message>
    <message>
        <source>— no particular vehicle —</source>
        <translation>— 不指定车辆 —</translation>
    </message>
    <message>
        <source>Quote field job {number}</source>
        <translation>外出服务单 {number} 报价</translation>
    </message>
    <message>
        <source>Save &amp;quote</source>
        <translation>保存报价(&amp;Q)</translation>
    </message>
    <message>
        <source>Parts (¥):</source>
        <translation>配件（¥）：</translation>
    </message>
    <message>
        <source>Labour (¥):</source>
        <translation>工时（¥）：</translation>
    </message>
    <message>
        <source>Travel (¥):</source>
        <translation>差旅（¥）：</translation>
    </message>
    <message>
        <source>Total:</source>
        <translation>合计：</translation>
    </message>
    <message>
        <source>The customer agrees to the quote before work starts; a new quote needs their agreement again.</source>
        <translation>开工前须经客户同意报价；重新报价须再次征得客户同意。</translation>
    </message>
    <message>
        <source>Did not follow the dispatch</source>
        <translation>不服从统一指挥</translation>
    </message>
    <message>
        <source>&amp;Record the case</source>
        <translation>登记处罚(&amp;R)</translation>
    </message>
    <message>
        <source>Who:</source>
        <translation>人员：</translation>
    </message>
    <message>
        <source>What happened:</source>
        <translation>事情经过：</translation>
    </message>
    <message>
        <source>Tow in field job {number}</source>
        <translation>外出服务单 {number} 拖回接车</translation>
    </message>
    <message>
        <source>&amp;Tow in and open the order</source>
        <translation>拖回并打开工单(&amp;T)</translation>
    </message>
    <message>
        <source>What was found:</source>
        <translation>检查结果：</translation>
    </message>
    <message>
        <source>Odometer (km):</source>
        <translation>行驶里程（km）：</translation>
    </message>
    <message>
        <source>as read on the car</source>
        <translation>按车上读数填写</translation>
    </message>
    <message>
        <source>Dispatch field job {number}</source>
        <translation>派遣外出服务单 {number}</translation>
    </message>
    <message>
        <source>&amp;Dispatch</source>
        <translation>派遣(&amp;D)</translation>
    </message>
    <message>
        <source>the customer's time: be on site by then</source>
        <translation>客户规定时间：须在此之前到达现场</translation>
    </message>
    <message>
        <source>Required arrival:</source>
        <translation>要求到达：</translation>
    </message>
    <message>
        <source>Crew:</source>
        <translation>派遣人员：</translation>
    </message>
    <message>
        <source>out on {number}</source>
        <translation>正在外出 {number}</translation>
    </message>
    <message>
        <source>Service vehicle:</source>
        <translation>服务车辆：</translation>
    </message>
    <message>
        <source>Tools:</source>
        <translation>工具：</translation>
    </message>
    <message>
        <source>Promised arrival:</source>
        <translation>承诺到达：</translation>
    </message>
    <message>
        <source>Parts for the job are taken out at the parts counter, like any parts issue.</source>
        <translation>外出所需配件在配件柜台领出，与其他出库相同。</translation>
    </message>
    <message>
        <source>Calls</source>
        <extracomment>The desk's tabs, in the order shown.</extracomment>
        <translation>来电</translation>
    </message>
    <message>
        <source>Out now</source>
        <translation>外出中</translation>
    </message>
    <message>
        <source>To close</source>
        <translation>待关闭</translation>
    </message>
    <message>
        <source>Field parts</source>
        <translation>外出配件</translation>
    </message>
    <message>
        <source>Expense claims</source>
        <translation>报销单</translation>
    </message>
    <message>
        <source>Penalties</source>
        <translation>罚款登记</translation>
    </message>
    <message>
        <source>Key customers</source>
        <translation>重点客户</translation>
    </message>
    <message>
        <source>The field-service desk has no tab for your roles.</source>
        <translation>外出服务台没有适用于您角色的页面。</translation>
    </message>
    <message>
        <source>field job {number} waits for dispatch: {place}</source>
        <translation>外出服务单 {number} 待派遣：{place}</translation>
    </message>
    <message>
        <source>Field service</source>
        <translation>外出服务</translation>
    </message>
    <message>
        <source>Overdue by {time}</source>
        <extracomment>Dispatch due within this long: shown amber (past it: red).</extracomment>
        <translation>已超时 {time}</translation>
    </message>
    <message>
        <source>Within {time}</source>
        <translation>{time}内</translation>
    </message>
    <message>
        <source>Filter: customer, place, number</source>
        <translation>筛选：客户、地点、单号</translation>
    </message>
    <message>
        <source>&amp;Register a field job…</source>
        <translation>登记外出服务(&amp;R)…</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>单号</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Customer and vehicle</source>
        <translation>客户及车辆</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Required arrival</source>
        <translation>要求到达</translation>
    </message>
    <message>
        <source>Dispatch due</source>
        <translation>派遣期限</translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation>派遣</translation>
    </message>
    <message>
        <source>Warranty / quote</source>
        <translation>保修 / 报价</translation>
    </message>
    <message>
        <source>&amp;Dispatch…</source>
        <translation>派遣(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Quote…</source>
        <translation>报价(&amp;Q)…</translation>
    </message>
    <message>
        <source>Call &amp;off…</source>
        <translation>取消(&amp;O)…</translation>
    </message>
    <message>
        <source>Waiting for dispatch: {n}</source>
        <translation>待派遣：{n}</translation>
    </message>
    <message>
        <source>{n} overdue</source>
        <translation>{n} 单超时</translation>
    </message>
    <message>
        <source>No call is waiting for dispatch.</source>
        <translation>没有待派遣的来电。</translation>
    </message>
    <message>
        <source>Registered {when} by {name}</source>
        <translation>{when} 由 {name} 登记</translation>
    </message>
    <message>
        <source>Dispatch: {status}</source>
        <translation>派遣：{status}</translation>
    </message>
    <message>
        <source>Field job {number} registered: it waits for dispatch.</source>
        <translation>外出服务单 {number} 已登记：等待派遣。</translation>
    </message>
    <message>
        <source>Field job {number} dispatched.</source>
        <translation>外出服务单 {number} 已派遣。</translation>
    </message>
    <message>
        <source>Quote of {number} saved: the customer agrees before work starts.</source>
        <translation>{number} 的报价已保存：开工前须经客户同意。</translation>
    </message>
    <message>
        <source>Call off field job {number}</source>
        <translation>取消外出服务单 {number}</translation>
    </message>
    <message>
        <source>Why:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Call &amp;off the job</source>
        <translation>取消外出服务(&amp;O)</translation>
    </message>
    <message>
        <source>Field job {number} called off.</source>
        <translation>外出服务单 {number} 已取消。</translation>
    </message>
    <message>
        <source>Complete</source>
        <extracomment>The main window's opener for a repair order at reception (registered by Reception).</extracomment>
        <translation>完整</translation>
    </message>
    <message>
        <source>Missing: {missing}</source>
        <translation>缺少：{missing}</translation>
    </message>
    <message>
        <source>Towed in: order {order}</source>
        <translation>已拖回：工单 {order}</translation>
    </message>
    <message>
        <source>Towed: to receive at reception</source>
        <translation>拖回：待接车</translation>
    </message>
    <message>
        <source>no call to the service centre yet</source>
        <translation>尚未来电服务总部</translation>
    </message>
    <message>
        <source>Crew</source>
        <translation>派遣人员</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>返回时间</translation>
    </message>
    <message>
        <source>Service report</source>
        <translation>售后服务报告单</translation>
    </message>
    <message>
        <source>Towed</source>
        <translation>拖回</translation>
    </message>
    <message>
        <source>&amp;Close the job</source>
        <translation>关闭外出服务单(&amp;C)</translation>
    </message>
    <message>
        <source>Left without &amp;calling…</source>
        <translation>未来电擅自离开(&amp;C)…</translation>
    </message>
    <message>
        <source>Did &amp;not follow the dispatch…</source>
        <translation>不服从统一指挥(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Tow in…</source>
        <translation>拖回接车(&amp;T)…</translation>
    </message>
    <message>
        <source>Print dispatch &amp;order…</source>
        <translation>打印派遣单(&amp;O)…</translation>
    </message>
    <message>
        <source>Print service &amp;report…</source>
        <translation>打印售后服务报告单(&amp;R)…</translation>
    </message>
    <message>
        <source>Back at base and to close: {n}</source>
        <translation>已返回待关闭：{n}</translation>
    </message>
    <message>
        <source>{n} with the report incomplete</source>
        <translation>{n} 单报告不完整</translation>
    </message>
    <message>
        <source>No job is waiting to be closed.</source>
        <translation>没有待关闭的外出服务单。</translation>
    </message>
    <message>
        <source>Crew: {crew}</source>
        <translation>派遣人员：{crew}</translation>
    </message>
    <message>
        <source>Work done: {work}</source>
        <translation>已完成工作：{work}</translation>
    </message>
    <message>
        <source>Left the site without calling.</source>
        <translation>未来电擅自离开现场。</translation>
    </message>
    <message>
        <source>Still missing before closing:</source>
        <translation>关闭前仍缺少：</translation>
    </message>
    <message>
        <source>The service report and the survey are complete.</source>
        <translation>售后服务报告单和满意度调查表已完整。</translation>
    </message>
    <message>
        <source>The workshop supervisor closes field jobs.</source>
        <translation>外出服务单由车间主管关闭。</translation>
    </message>
    <message>
        <source>Field job {number} closed.</source>
        <translation>外出服务单 {number} 已关闭。</translation>
    </message>
    <message>
        <source>Left the site without calling: {number}</source>
        <translation>未来电擅自离开现场：{number}</translation>
    </message>
    <message>
        <source>&amp;Record</source>
        <translation>登记(&amp;R)</translation>
    </message>
    <message>
        <source>Leaving the site without calling the service centre is a penalty case for everyone on the crew: {crew}.</source>
        <translation>未来电服务总部擅自离开现场，派遣人员每人各记一次罚款：{crew}。</translation>
    </message>
    <message>
        <source>Recorded: the crew of {number} left the site without calling; a penalty case for each of them.</source>
        <translation>已登记：{number} 的派遣人员未来电擅自离开现场；每人各记一次罚款。</translation>
    </message>
    <message>
        <source>Recorded in the penalty register (field job {number}).</source>
        <translation>已记入罚款登记（外出服务单 {number}）。</translation>
    </message>
    <message>
        <source>The towed car is received on order {order}.</source>
        <translation>拖回车辆已在工单 {order} 上接车。</translation>
    </message>
    <message>
        <source>Arrived {time} late</source>
        <extracomment>How often the list is read again (ms). Due on site within this long: shown amber.</extracomment>
        <translation>迟到 {time}</translation>
    </message>
    <message>
        <source>: {reason}</source>
        <translation>：{reason}</translation>
    </message>
    <message>
        <source>Arrived on time</source>
        <translation>按时到达</translation>
    </message>
    <message>
        <source>Overdue: not on site, {time} past the customer's time</source>
        <translation>已超时：未到达现场，超过客户规定时间 {time}</translation>
    </message>
    <message>
        <source>Promised {time} after the customer's time</source>
        <translation>承诺时间晚于客户规定时间 {time}</translation>
    </message>
    <message>
        <source>Due on site in {time}</source>
        <translation>{time}后须到达现场</translation>
    </message>
    <message>
        <source>Customer and place</source>
        <translation>客户及地点</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>要求到达</translation>
    </message>
    <message>
        <source>Promised</source>
        <translation>承诺到达</translation>
    </message>
    <message>
        <source>Departed</source>
        <translation>出发</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>到达</translation>
    </message>
    <message>
        <source>Left site</source>
        <translation>离开现场</translation>
    </message>
    <message>
        <source>On time?</source>
        <translation>是否准时</translation>
    </message>
    <message>
        <source>Out now: {n}</source>
        <translation>外出中：{n}</translation>
    </message>
    <message>
        <source>{n} late or overdue</source>
        <translation>{n} 单迟到或超时</translation>
    </message>
    <message>
        <source>As of {time}</source>
        <translation>截至 {time}</translation>
    </message>
    <message>
        <source>Service vehicle: {vehicle}</source>
        <translation>服务车辆：{vehicle}</translation>
    </message>
    <message>
        <source>Tools: {tools}</source>
        <translation>工具：{tools}</translation>
    </message>
    <message>
        <source>Required {required} · promised {promised}</source>
        <translation>要求 {required} · 承诺 {promised}</translation>
    </message>
    <message>
        <source>Nobody is out now.</source>
        <translation>目前无人外出。</translation>
    </message>
    <message>
        <source>Bar: grey waiting to set off, blue on the road (red once past the customer's time), green on site, light blue on the way back. Red mark: the customer's required arrival time; dashed mark: the promised time; black line: now.</source>
        <translation>时间条：灰色为待出发，蓝色为途中（超过客户规定时间后为红色），绿色为在现场，浅蓝色为返程。红色标记：客户要求到达时间；虚线：承诺到达时间；黑线：当前时间。</translation>
    </message>
</context>
<context>
    <name>FirstStartForm</name>
    <message>
        <source>First start</source>
        <translation>首次启动</translation>
    </message>
    <message>
        <source>This database has no staff accounts yet. Create the administrator account: it can then add the other staff members, the teams and the catalogues.</source>
        <translation>此数据库还没有员工账号。请创建系统管理员账号，之后由管理员添加其他员工、班组和目录。</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>姓名(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Login</source>
        <translation>登录名(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;PIN</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <source>at least 4 characters</source>
        <translation>至少 4 个字符</translation>
    </message>
    <message>
        <source>&amp;Repeat PIN</source>
        <translation>再次输入密码(&amp;R)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Create administrator</source>
        <translation>创建系统管理员</translation>
    </message>
</context>
<context>
    <name>Gate</name>
    <message>
        <source>VALID</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>ALREADY USED</source>
        <translation>已使用</translation>
    </message>
    <message>
        <source>VOID</source>
        <translation>作废</translation>
    </message>
    <message>
        <source>NOT ISSUED</source>
        <translation>未开具</translation>
    </message>
    <message>
        <source>LET OUT</source>
        <translation>已放行</translation>
    </message>
    <message>
        <source>SEVERAL CARS</source>
        <translation>多辆车</translation>
    </message>
    <message>
        <source>Scan a gate pass</source>
        <translation>请扫描出门证</translation>
    </message>
    <message>
        <source>Gate — check the gate pass</source>
        <translation>门岗 — 查验出门证</translation>
    </message>
    <message>
        <source>Your roles do not allow this.</source>
        <translation>您的角色无权执行此操作。</translation>
    </message>
    <message>
        <source>{plate} let out at {time}. The follow-up call is scheduled.</source>
        <translation>{plate} 已于 {time} 放行。已安排回访。</translation>
    </message>
    <message>
        <source>{number}, used at {when}</source>
        <translation>{number}，已于 {when} 使用</translation>
    </message>
    <message>
        <source>&amp;Gate</source>
        <translation>门岗(&amp;G)</translation>
    </message>
</context>
<context>
    <name>GateWindow</name>
    <message>
        <source>Scan the gate pass or type its number, check code or the plate:</source>
        <translation>扫描出门证，或输入出门证编号、校验码或车牌号：</translation>
    </message>
    <message>
        <source>Gate pass number</source>
        <translation>出门证编号</translation>
    </message>
    <message>
        <source>&amp;Check</source>
        <translation>查验(&amp;C)</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>车型</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Repair order</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Gate pass</source>
        <translation>出门证</translation>
    </message>
    <message>
        <source>&amp;Let out</source>
        <translation>放行(&amp;L)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>Import</name>
    <message>
        <source>Customer name</source>
        <extracomment>field -&gt; the headers old systems write for it (compared without case, spaces and marks). The fields each kind reads; the first group must be mapped (any one column of each tuple).</extracomment>
        <translation>客户名称</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Second phone</source>
        <translation>备用电话</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>公司</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>VIN</source>
        <translation>车架号</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <source>Make</source>
        <translation>品牌</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>车型</translation>
    </message>
    <message>
        <source>Model year</source>
        <translation>年款</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Sale date</source>
        <translation>购车日期</translation>
    </message>
    <message>
        <source>Odometer (km)</source>
        <translation>行驶里程（公里）</translation>
    </message>
    <message>
        <source>Repair date</source>
        <translation>维修日期</translation>
    </message>
    <message>
        <source>Original order number</source>
        <translation>原工单号</translation>
    </message>
    <message>
        <source>Job item</source>
        <translation>维修项目</translation>
    </message>
    <message>
        <source>Labour or part</source>
        <translation>工时或配件</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Pay type</source>
        <translation>付费方式</translation>
    </message>
    <message>
        <source>The file's contents are not readable.</source>
        <translation>文件内容无法读取。</translation>
    </message>
    <message>
        <source>The columns' mapping is not readable.</source>
        <translation>列的对应关系无法读取。</translation>
    </message>
    <message>
        <source>Unknown kind of import: {kind}.</source>
        <translation>未知的导入类型：{kind}。</translation>
    </message>
    <message>
        <source>{field} is not a column of this kind of import.</source>
        <translation>{field} 不是此类导入的列。</translation>
    </message>
    <message>
        <source>Two columns are mapped to {field}.</source>
        <translation>有两列都对应到 {field}。</translation>
    </message>
    <message>
        <source>No column is mapped to {field}.</source>
        <translation>没有列对应到 {field}。</translation>
    </message>
    <message>
        <source> or </source>
        <translation>或</translation>
    </message>
    <message>
        <source>The file is neither UTF-8 nor GB18030/GBK text. Please save it from Excel as CSV UTF-8 or as .xlsx.</source>
        <translation>该文件既不是 UTF-8 也不是 GB18030/GBK 文本。请在 Excel 中另存为 CSV UTF-8 或 .xlsx。</translation>
    </message>
    <message>
        <source>Please choose an .xlsx or .csv file.</source>
        <translation>请选择 .xlsx 或 .csv 文件。</translation>
    </message>
    <message>
        <source>The file cannot be read: {error}.</source>
        <translation>无法读取该文件：{error}。</translation>
    </message>
    <message>
        <source>The file cannot be read as a spreadsheet: {error}.</source>
        <translation>无法作为电子表格读取该文件：{error}。</translation>
    </message>
    <message>
        <source>The file has no rows.</source>
        <translation>该文件没有数据行。</translation>
    </message>
    <message>
        <source>vehicle {vin} is already on file</source>
        <translation>车辆 {vin} 已在档</translation>
    </message>
    <message>
        <source>same vehicle as row {row}</source>
        <translation>与第 {row} 行为同一车辆</translation>
    </message>
    <message>
        <source>The plate {plate} is on row {row} with another VIN.</source>
        <translation>车牌 {plate} 在第 {row} 行对应另一个车架号。</translation>
    </message>
    <message>
        <source>The plate {plate} is already on file with the VIN {vin}.</source>
        <translation>车牌 {plate} 已在档，车架号为 {vin}。</translation>
    </message>
    <message>
        <source>customer {name} is already on file</source>
        <translation>客户 {name} 已在档</translation>
    </message>
    <message>
        <source>same customer as row {row}</source>
        <translation>与第 {row} 行为同一客户</translation>
    </message>
    <message>
        <source>The vehicle {vehicle} is not on file. Import the vehicles first.</source>
        <translation>车辆 {vehicle} 不在档。请先导入车辆。</translation>
    </message>
    <message>
        <source>The vehicle {vehicle} has no owner on file.</source>
        <translation>车辆 {vehicle} 没有登记车主。</translation>
    </message>
    <message>
        <source>Order {number} was imported before.</source>
        <translation>工单 {number} 以前已导入。</translation>
    </message>
    <message>
        <source>Order {number} has another vehicle or date on row {row}.</source>
        <translation>工单 {number} 在第 {row} 行的车辆或日期不同。</translation>
    </message>
    <message>
        <source>Order {number} has another odometer reading on row {row}.</source>
        <translation>工单 {number} 在第 {row} 行的行驶里程不同。</translation>
    </message>
    <message>
        <source>same line as row {row}</source>
        <translation>与第 {row} 行相同</translation>
    </message>
    <message>
        <source>The odometer {km} km on {date} does not fit the reading {other} km of {day}: the odometer never goes back.</source>
        <translation>{date} 的行驶里程 {km} 公里与 {day} 的记录 {other} 公里不符：里程不会倒退。</translation>
    </message>
    <message>
        <source>The import was cancelled; nothing was imported.</source>
        <translation>导入已取消；没有导入任何内容。</translation>
    </message>
    <message>
        <source>The import's progress or cancel hook is not a function.</source>
        <translation>导入的进度或取消回调不是函数。</translation>
    </message>
    <message>
        <source>Another line of this order (row {row}) is refused.</source>
        <translation>该工单的另一行（第 {row} 行）被拒绝。</translation>
    </message>
    <message>
        <source>Reason refused</source>
        <translation>拒绝原因</translation>
    </message>
    <message>
        <source>Nothing to import: every row is refused or already on file.</source>
        <translation>没有可导入的内容：所有行都被拒绝或已在档。</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源系统</translation>
    </message>
    <message>
        <source>repair orders</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>vehicles of its customers</source>
        <translation>其客户的车辆</translation>
    </message>
    <message>
        <source>changes to its customers or vehicles</source>
        <translation>对其客户或车辆的修改</translation>
    </message>
    <message>
        <source>odometer readings</source>
        <translation>行驶里程记录</translation>
    </message>
    <message>
        <source>owner changes</source>
        <translation>车主变更</translation>
    </message>
    <message>
        <source>comebacks</source>
        <translation>返修</translation>
    </message>
    <message>
        <source>other records ({table})</source>
        <translation>其他记录（{table}）</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>This import was already undone.</source>
        <translation>此次导入已撤销。</translation>
    </message>
    <message>
        <source>This import cannot be undone: the shop has recorded {what} on its data since.</source>
        <translation>此次导入无法撤销：之后已在其数据上记录了{what}。</translation>
    </message>
</context>
<context>
    <name>ImportTab</name>
    <message>
        <source>Customers (with their cars)</source>
        <translation>客户（含其车辆）</translation>
    </message>
    <message>
        <source>Vehicles</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Service history</source>
        <translation>维修历史</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>e.g. the old system's name</source>
        <translation>例如旧系统的名称</translation>
    </message>
    <message>
        <source>No file chosen.</source>
        <translation>尚未选择文件。</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>1. What and from where</source>
        <translation>1. 导入什么、从哪里导入</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源系统</translation>
    </message>
    <message>
        <source>Column in the file</source>
        <translation>文件中的列</translation>
    </message>
    <message>
        <source>First value</source>
        <translation>第一行的值</translation>
    </message>
    <message>
        <source>Read as</source>
        <translation>对应字段</translation>
    </message>
    <message>
        <source>Save mapping for source</source>
        <translation>为此来源保存对应关系</translation>
    </message>
    <message>
        <source>Check the file</source>
        <translation>检查文件</translation>
    </message>
    <message>
        <source>2. Columns</source>
        <translation>2. 列</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Save refused rows…</source>
        <translation>保存被拒绝的行…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>3. Check and import</source>
        <translation>3. 检查并导入</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Undone</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <source>Undo the selected import…</source>
        <translation>撤销所选的导入…</translation>
    </message>
    <message>
        <source>Recent imports</source>
        <translation>最近的导入</translation>
    </message>
    <message>
        <source>Choose the file from the old system</source>
        <translation>选择旧系统导出的文件</translation>
    </message>
    <message>
        <source>Spreadsheets (*.xlsx *.csv)</source>
        <translation>电子表格 (*.xlsx *.csv)</translation>
    </message>
    <message>
        <source>Reading {file}…</source>
        <translation>正在读取 {file}…</translation>
    </message>
    <message>
        <source>{file}: {rows} rows, {columns} columns</source>
        <translation>{file}：{rows} 行，{columns} 列</translation>
    </message>
    <message>
        <source>(not imported)</source>
        <translation>（不导入）</translation>
    </message>
    <message>
        <source>Mapping</source>
        <translation>列对应关系</translation>
    </message>
    <message>
        <source>The mapping is saved for {source}.</source>
        <translation>已为 {source} 保存列对应关系。</translation>
    </message>
    <message>
        <source>Checking every row…</source>
        <translation>正在逐行检查…</translation>
    </message>
    <message>
        <source>{rows} rows: {create} to create, {merge} already on file or repeated (merged), {refuse} refused. New: {customers} customers, {vehicles} vehicles, {orders} orders with {lines} lines.</source>
        <translation>共 {rows} 行：新建 {create} 行，已在档或重复（合并）{merge} 行，拒绝 {refuse} 行。新增：客户 {customers} 位，车辆 {vehicles} 辆，工单 {orders} 张共 {lines} 行项目。</translation>
    </message>
    <message>
        <source>Save refused rows</source>
        <translation>保存被拒绝的行</translation>
    </message>
    <message>
        <source>The refused rows are saved in {path}.</source>
        <translation>被拒绝的行已保存到 {path}。</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Imported as batch {batch}: {customers} customers, {vehicles} vehicles, {orders} orders with {lines} lines; {refuse} rows refused.</source>
        <translation>已作为批次 {batch} 导入：客户 {customers} 位，车辆 {vehicles} 辆，工单 {orders} 张共 {lines} 行项目；拒绝 {refuse} 行。</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Choose an import in the list first.</source>
        <translation>请先在列表中选择一次导入。</translation>
    </message>
    <message>
        <source>Remove everything import {batch} brought ({file})? This is refused if the shop has recorded anything on it since.</source>
        <translation>删除导入批次 {batch}（{file}）带来的全部数据？如果之后已在其上记录了任何内容，将被拒绝。</translation>
    </message>
    <message>
        <source>Undo the import</source>
        <translation>撤销导入</translation>
    </message>
    <message>
        <source>Undoing import {batch}…</source>
        <translation>正在撤销导入批次 {batch}…</translation>
    </message>
    <message>
        <source>Import {batch} is undone.</source>
        <translation>导入批次 {batch} 已撤销。</translation>
    </message>
    <message>
        <source>The import</source>
        <translation>导入</translation>
    </message>
</context>
<context>
    <name>Inspection</name>
    <message>
        <source>Scratch</source>
        <extracomment>Drafts keep photos only while they are small (a crash must not lose them, nor bloat drafts).</extracomment>
        <translation>划痕</translation>
    </message>
    <message>
        <source>Dent</source>
        <translation>凹陷</translation>
    </message>
    <message>
        <source>Crack</source>
        <translation>裂纹</translation>
    </message>
    <message>
        <source>Chip</source>
        <translation>掉漆</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>From above</source>
        <translation>俯视</translation>
    </message>
    <message>
        <source>Front</source>
        <translation>前</translation>
    </message>
    <message>
        <source>Rear</source>
        <translation>后</translation>
    </message>
    <message>
        <source>Left side</source>
        <translation>左侧</translation>
    </message>
    <message>
        <source>Right side</source>
        <translation>右侧</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>发动机故障灯</translation>
    </message>
    <message>
        <source>Oil pressure</source>
        <translation>机油压力</translation>
    </message>
    <message>
        <source>Battery</source>
        <translation>蓄电池</translation>
    </message>
    <message>
        <source>Brake</source>
        <translation>制动系统</translation>
    </message>
    <message>
        <source>ABS</source>
        <translation>ABS</translation>
    </message>
    <message>
        <source>Airbag</source>
        <translation>安全气囊</translation>
    </message>
    <message>
        <source>Coolant temperature</source>
        <translation>冷却液温度</translation>
    </message>
    <message>
        <source>Tyre pressure</source>
        <translation>胎压</translation>
    </message>
    <message>
        <source>Stability control</source>
        <translation>车身稳定系统</translation>
    </message>
    <message>
        <source>Other light</source>
        <translation>其他指示灯</translation>
    </message>
    <message>
        <source>Car diagram</source>
        <translation>车身示意图</translation>
    </message>
    <message>
        <source>{name} cannot be read.</source>
        <translation>无法读取 {name}。</translation>
    </message>
    <message>
        <source>{name} is larger than 10 MB.</source>
        <translation>{name} 超过 10 MB。</translation>
    </message>
    <message>
        <source>{name} is not a picture.</source>
        <translation>{name} 不是图片。</translation>
    </message>
    <message>
        <source>Tap on the car in one of the five views: a mark goes on the car, not beside it.</source>
        <translation>请点在五个视图之一的车身上：标记应在车身上，而不是车身旁边。</translation>
    </message>
    <message>
        <source>Empty</source>
        <translation>空</translation>
    </message>
    <message>
        <source>Full</source>
        <translation>满</translation>
    </message>
    <message>
        <source>No damage marked.</source>
        <translation>未标记损伤。</translation>
    </message>
    <message>
        <source>Grey dashed marks: found at the last visit ({number}, {date}).</source>
        <translation>灰色虚线标记：上次来店时记录（{number}，{date}）。</translation>
    </message>
    <message>
        <source>Lower than the last reading of {km} km. Check it again; if it is right you will be asked for the reason.</source>
        <translation>低于上次记录的 {km} 公里。请再核对；如确实如此，保存时需填写原因。</translation>
    </message>
    <message>
        <source>Last reading: {km} km</source>
        <translation>上次记录：{km} 公里</translation>
    </message>
    <message>
        <source>No earlier reading on file.</source>
        <translation>暂无历史里程记录。</translation>
    </message>
    <message>
        <source>Add photos</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg *.bmp *.gif *.webp)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.bmp *.gif *.webp)</translation>
    </message>
    <message>
        <source>Photo {n}.png</source>
        <translation>照片 {n}.png</translation>
    </message>
</context>
<context>
    <name>InspectionForm</name>
    <message>
        <source>Choose the kind of damage, then tap the car where it is. Tap a mark to select it.</source>
        <translation>先选损伤类型，再点击车身上的损伤位置。点击标记可选中它。</translation>
    </message>
    <message>
        <source>&amp;Note on the mark</source>
        <translation>标记备注(&amp;N)</translation>
    </message>
    <message>
        <source>e.g. 10 cm, old repair</source>
        <translation>例如：10 厘米、旧修补</translation>
    </message>
    <message>
        <source>Kind of the selected mark</source>
        <translation>所选标记的损伤类型</translation>
    </message>
    <message>
        <source>Remove mark</source>
        <translation>删除标记</translation>
    </message>
    <message>
        <source>Damage marks</source>
        <translation>损伤标记</translation>
    </message>
    <message>
        <source>Carry over old marks</source>
        <translation>沿用上次的标记</translation>
    </message>
    <message>
        <source>The damage marked at the last visit is still there: mark it again on this visit.</source>
        <translation>上次记录的损伤仍在：在本次接车中再次标记。</translation>
    </message>
    <message>
        <source>Readings</source>
        <translation>仪表读数</translation>
    </message>
    <message>
        <source>&amp;Odometer (km)</source>
        <translation>行驶里程（公里）(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Fuel level</source>
        <translation>油量(&amp;F)</translation>
    </message>
    <message>
        <source>Warning lights on</source>
        <translation>故障灯亮起</translation>
    </message>
    <message>
        <source>In the car</source>
        <translation>车内情况</translation>
    </message>
    <message>
        <source>&amp;Protective set fitted</source>
        <translation>已安装三件套(&amp;P)</translation>
    </message>
    <message>
        <source>Seat cover, steering-wheel cover and floor mat</source>
        <translation>座椅套、方向盘套、脚垫</translation>
    </message>
    <message>
        <source>&amp;Spare wheel present</source>
        <translation>备胎在车(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Tool kit present</source>
        <translation>随车工具齐全(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Valuables</source>
        <translation>车内贵重物品(&amp;V)</translation>
    </message>
    <message>
        <source>e.g. sunglasses, dash camera</source>
        <translation>例如：太阳镜、行车记录仪</translation>
    </message>
    <message>
        <source>N&amp;otes</source>
        <translation>备注(&amp;O)</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>&amp;Add photos…</source>
        <translation>添加照片(&amp;A)…</translation>
    </message>
    <message>
        <source>Remove photo</source>
        <translation>删除照片</translation>
    </message>
    <message>
        <source>or drop picture files here</source>
        <translation>或把图片文件拖到这里</translation>
    </message>
</context>
<context>
    <name>Insurance</name>
    <message>
        <source>Insurer</source>
        <translation>保险公司</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <source>An insurer named {name} exists already.</source>
        <translation>已有名为 {name} 的保险公司。</translation>
    </message>
    <message>
        <source>Order {number} has no insurance claim: record the insurer and the claim report number at reception first.</source>
        <translation>维修单 {number} 没有保险报案：请先在接车时登记保险公司和报案号。</translation>
    </message>
    <message>
        <source>Not known yet</source>
        <translation>尚不明确</translation>
    </message>
    <message>
        <source>Our customer</source>
        <translation>本车（我方顾客）</translation>
    </message>
    <message>
        <source>The other party</source>
        <translation>对方</translation>
    </message>
    <message>
        <source>Shared</source>
        <translation>双方责任</translation>
    </message>
    <message>
        <source>{field} must be a date.</source>
        <translation>{field}必须是日期。</translation>
    </message>
    <message>
        <source>Say yes or no: accident car.</source>
        <translation>请选择是否为事故车。</translation>
    </message>
    <message>
        <source>Order {number} has an insurance claim: it stays an accident car.</source>
        <translation>维修单 {number} 已有保险报案：仍为事故车。</translation>
    </message>
    <message>
        <source>Claim report number</source>
        <translation>报案号</translation>
    </message>
    <message>
        <source>Policy number</source>
        <translation>保单号</translation>
    </message>
    <message>
        <source>Accident date</source>
        <translation>出险日期</translation>
    </message>
    <message>
        <source>The accident date lies in the future.</source>
        <translation>出险日期不能是将来的日期。</translation>
    </message>
    <message>
        <source>Who is at fault: {value} is not one of the choices.</source>
        <translation>事故责任：{value} 不是可选项。</translation>
    </message>
    <message>
        <source>Excess</source>
        <translation>免赔额</translation>
    </message>
    <message>
        <source>Betterment</source>
        <translation>折旧</translation>
    </message>
    <message>
        <source>Choose at least one photo.</source>
        <translation>请至少选择一张照片。</translation>
    </message>
    <message>
        <source>Line {line} is not a line of order {number}.</source>
        <translation>项目 {line} 不属于维修单 {number}。</translation>
    </message>
    <message>
        <source>{line} was declined; it is not repaired.</source>
        <translation>{line} 已被拒绝，不予维修。</translation>
    </message>
    <message>
        <source>Assessor</source>
        <translation>定损员</translation>
    </message>
    <message>
        <source>Give the date of the assessment.</source>
        <translation>请填写定损日期。</translation>
    </message>
    <message>
        <source>Give the assessed amount of each line.</source>
        <translation>请填写每个项目的定损金额。</translation>
    </message>
    <message>
        <source>Assessed amount</source>
        <translation>定损金额</translation>
    </message>
    <message>
        <source>Assessed total</source>
        <translation>定损总额</translation>
    </message>
    <message>
        <source>Give the assessed amount per line or in total.</source>
        <translation>请按项目或按总额填写定损金额。</translation>
    </message>
    <message>
        <source>No line of order {number} is paid by the insurance: give the assessed amount per line (those lines become insurance lines), or set their pay type first.</source>
        <translation>维修单 {number} 没有由保险支付的项目：请按项目填写定损金额（这些项目将改为保险理赔），或先设置其付费类型。</translation>
    </message>
    <message>
        <source>Approved amount</source>
        <translation>核准金额</translation>
    </message>
    <message>
        <source>record the insurer's answer</source>
        <translation>登记保险公司的答复</translation>
    </message>
    <message>
        <source>Supplementary assessment</source>
        <translation>追加定损</translation>
    </message>
    <message>
        <source>Nothing of this supplementary assessment was declined by the insurer and is left for the customer to pay.</source>
        <translation>这次追加定损中没有保险公司拒赔、尚待客户自付的项目。</translation>
    </message>
    <message>
        <source>Line {line} is not a line the insurer declined on this supplementary assessment (or the customer was asked already).</source>
        <translation>{line} 不是保险公司在这次追加定损中拒赔的项目（或已询问过客户）。</translation>
    </message>
    <message>
        <source>Choose the declined lines the customer pays.</source>
        <translation>请选择客户自付的拒赔项目。</translation>
    </message>
    <message>
        <source>Declined by the insurer; the customer pays it: {reason}</source>
        <translation>保险公司拒赔，客户自付：{reason}</translation>
    </message>
    <message>
        <source>Waiting for the insurer</source>
        <translation>等待保险公司审批</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>Partly approved</source>
        <translation>部分批准</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>The loss assessment has no figure for {lines} on order {number}: record the insurer's assessment first.</source>
        <translation>维修单 {number} 的定损没有 {lines} 的金额：请先登记保险公司的定损。</translation>
    </message>
    <message>
        <source>The insurer has not confirmed its part of {amount} on order {number}: record the insurer's confirmation first.</source>
        <translation>保险公司尚未确认维修单 {number} 的赔付金额 {amount}：请先登记保险公司的确认。</translation>
    </message>
    <message>
        <source>0–30 days</source>
        <extracomment>Age brackets of open receivables (days since the order was settled): up to 30, 31–60, 61–90, over 90.</extracomment>
        <translation>0–30 天</translation>
    </message>
    <message>
        <source>31–60 days</source>
        <translation>31–60 天</translation>
    </message>
    <message>
        <source>61–90 days</source>
        <translation>61–90 天</translation>
    </message>
    <message>
        <source>Over 90 days</source>
        <translation>90 天以上</translation>
    </message>
    <message>
        <source>The insurer has already paid {paid} on order {number}: the settlement cannot be voided.</source>
        <extracomment>The insurer's statement (保险公司对账单) is numbered by its date and the insurer, so the same statement printed again (at any desk or from the command line) is a copy: DZ261130-003.</extracomment>
        <translation>保险公司已就维修单 {number} 回款 {paid}：结算单不能作废。</translation>
    </message>
    <message>
        <source>Give the date.</source>
        <translation>请填写日期。</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Give the day the money was received (not a future day).</source>
        <translation>请填写到账日期（不能是将来的日期）。</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>凭证号</translation>
    </message>
    <message>
        <source>Receivable</source>
        <translation>应收款</translation>
    </message>
    <message>
        <source>This receivable is not an open one of {insurer}.</source>
        <translation>这笔应收款不是 {insurer} 的未结应收款。</translation>
    </message>
    <message>
        <source>{amount} is more than the {open} {insurer} still owes here.</source>
        <translation>{amount} 超过了 {insurer} 在此尚欠的 {open}。</translation>
    </message>
    <message>
        <source>Accident car / insurance</source>
        <translation>事故车 / 保险理赔</translation>
    </message>
    <message>
        <source>Accident car (not handed over at peak hours)</source>
        <translation>事故车（不在高峰时段交车）</translation>
    </message>
    <message>
        <source>— no insurance claim —</source>
        <translation>— 无保险报案 —</translation>
    </message>
    <message>
        <source>Who is at fault</source>
        <translation>事故责任</translation>
    </message>
    <message>
        <source>Excess (customer pays)</source>
        <translation>免赔额（顾客自付）</translation>
    </message>
    <message>
        <source>Betterment (customer pays)</source>
        <translation>折旧（顾客自付）</translation>
    </message>
    <message>
        <source>Loss assessment</source>
        <translation>定损</translation>
    </message>
    <message>
        <source>Assessed on</source>
        <translation>定损日期</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Shop price</source>
        <translation>本店价格</translation>
    </message>
    <message>
        <source>Per line</source>
        <translation>按项目</translation>
    </message>
    <message>
        <source>A line with an assessed amount is paid by the insurance; leave the others empty.</source>
        <translation>填写了定损金额的项目由保险赔付；其余项目留空。</translation>
    </message>
    <message>
        <source>Or in total (insurance lines)</source>
        <translation>或按总额（保险项目）</translation>
    </message>
    <message>
        <source>Accident car / claim…</source>
        <translation>事故车 / 报案…</translation>
    </message>
    <message>
        <source>Loss assessment…</source>
        <translation>定损…</translation>
    </message>
    <message>
        <source>Add photos…</source>
        <translation>添加照片…</translation>
    </message>
    <message>
        <source>Not an accident car.</source>
        <translation>非事故车。</translation>
    </message>
    <message>
        <source>Accident car; no insurance claim recorded.</source>
        <translation>事故车；尚未登记保险报案。</translation>
    </message>
    <message>
        <source>1 photo</source>
        <translation>1 张照片</translation>
    </message>
    <message>
        <source>{n} photos</source>
        <translation>{n} 张照片</translation>
    </message>
    <message>
        <source>Accident car — {insurer}, claim report no. {report_no}, accident on {date}, at fault: {fault}; {photos}.</source>
        <translation>事故车 — {insurer}，报案号 {report_no}，出险日期 {date}，事故责任：{fault}；{photos}。</translation>
    </message>
    <message>
        <source>Assessed by {assessor} on {date}: the insurance covers {covered}.</source>
        <translation>{assessor} 于 {date} 定损：保险赔付范围 {covered}。</translation>
    </message>
    <message>
        <source>Photos for the insurer</source>
        <translation>提供给保险公司的照片</translation>
    </message>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg *.bmp *.gif *.webp)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.bmp *.gif *.webp)</translation>
    </message>
    <message>
        <source>Accident car / insurance — {number}</source>
        <translation>事故车 / 保险理赔 — {number}</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>There is no insurer {name}.</source>
        <extracomment>outstanding per age bracket (the labels' order)</extracomment>
        <translation>没有保险公司 {name}。</translation>
    </message>
    <message>
        <source>A statement cannot be dated after today.</source>
        <translation>对账日期不能晚于今天。</translation>
    </message>
</context>
<context>
    <name>KeyCustomers</name>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Visit every (days)</source>
        <translation>走访周期(天)</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>{name} is on the key-customer list already.</source>
        <translation>{name} 已在重点客户名单上。</translation>
    </message>
    <message>
        <source>Key customer</source>
        <translation>重点客户</translation>
    </message>
    <message>
        <source>This customer is off the list already.</source>
        <translation>该客户已不在名单上。</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>员工</translation>
    </message>
    <message>
        <source>{name} no longer works here.</source>
        <translation>{name} 已离职。</translation>
    </message>
    <message>
        <source>This customer is off the list.</source>
        <translation>该客户不在名单上。</translation>
    </message>
    <message>
        <source>Give the day of the visit.</source>
        <translation>请填写走访日期。</translation>
    </message>
    <message>
        <source>The visit's day lies in the future.</source>
        <translation>走访日期在将来。</translation>
    </message>
    <message>
        <source>How the cars are used</source>
        <translation>产品使用情况</translation>
    </message>
    <message>
        <source>Customer's opinions</source>
        <translation>用户意见</translation>
    </message>
</context>
<context>
    <name>Login</name>
    <message>
        <source>Pick your name in the list.</source>
        <extracomment>Called before a PIN is checked; False stops the sign-in (the database is not open).</extracomment>
        <translation>请在列表中选择您的姓名。</translation>
    </message>
    <message>
        <source>Enter your PIN.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <source>Sign in — shop-desk</source>
        <translation>登录 — shop-desk</translation>
    </message>
    <message>
        <source>First start — shop-desk</source>
        <translation>首次启动 — shop-desk</translation>
    </message>
    <message>
        <source>The two PINs differ. Type the same PIN twice.</source>
        <translation>两次输入的密码不一致，请输入相同的密码。</translation>
    </message>
</context>
<context>
    <name>LoginForm</name>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Pick your name and enter your PIN.</source>
        <translation>请选择您的姓名并输入密码。</translation>
    </message>
    <message>
        <source>&amp;Staff member</source>
        <translation>员工(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;PIN</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <source>PIN (at least 4 characters)</source>
        <translation>密码（至少 4 个字符）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>MainFrame</name>
    <message>
        <source>Areas</source>
        <translation>功能区</translation>
    </message>
    <message>
        <source>Welcome. Use the search box above to find a vehicle, customer or repair order (Ctrl+F), or scan a VIN barcode.</source>
        <translation>欢迎使用。可在上方搜索框查找车辆、顾客或工单（Ctrl+F），也可扫描车架号条码。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Main toolbar</source>
        <extracomment>The areas in the order the navigation shows them; other keys follow in registration order. Modules whose import registers pages. An area whose module is not part of this build is simply absent from the navigation (never an empty page); an error inside a module that exists still surfaces. Screens one desk opens for another (``fn(window, *args)`` -&gt; the dialog, not yet shown): a desk asks the main window instead of importing another desk's widgets. ``fn(staff) -&gt; (count, newest text)`` per page key: open items the person should see now (e.g. workshop notices). The navigation shows the count; a rise is announced at once. How often the window asks the change watcher whether another station committed (ms). Without a change watcher the badges are re-read this often (s). (page key, newest text) when a badge count rises, e.g. a new workshop notice another station (or this one) committed a change: pages on screen may re-read</extracomment>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>查找(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Lock / switch user</source>
        <translation>锁屏 / 切换用户(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;About shop-desk</source>
        <translation>关于 shop-desk(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>shop-desk — {shop}</source>
        <translation>shop-desk — {shop}</translation>
    </message>
    <message>
        <source>Signed in as {name}.</source>
        <translation>已登录：{name}。</translation>
    </message>
    <message>
        <source>The shop database was restored from a backup, so everything entered after that backup was taken is gone. Please sign in again.</source>
        <translation>门店数据库已从备份恢复，该备份之后录入的所有内容都已不在。请重新登录。</translation>
    </message>
    <message>
        <source>New: {text}</source>
        <translation>新通知：{text}</translation>
    </message>
    <message>
        <source>Refreshed.</source>
        <translation>已刷新。</translation>
    </message>
    <message>
        <source>Who is next? Type the first letters of your name or use the arrow keys, press Enter, then your PIN and Enter.</source>
        <translation>下一位是谁？输入姓名的开头字母或用方向键选择，按回车，再输入密码并按回车。</translation>
    </message>
    <message>
        <source>The screen is locked. {name} or another staff member can sign in to go on.</source>
        <translation>屏幕已锁定。{name} 或其他员工登录后可继续使用。</translation>
    </message>
    <message>
        <source>Locked.</source>
        <translation>已锁定。</translation>
    </message>
</context>
<context>
    <name>MigrateDb</name>
    <message>
        <source>The source must be a shop-desk database file (sqlite:///PATH).</source>
        <extracomment>Rows read from the file and sent with one COPY. Tables a new database gets rows in by itself (see :func:`shop_desk.defaults.seed_defaults`). "copy" (rows of ``table``), "table" (``table`` done), "indexes", "compare", "analyze" rows of ``table`` copied so far rows of all tables copied so far seconds since the copy started per money/quantity column, the sum of its stored whole units (fen, 1/100 hours ...)</extracomment>
        <translation>源必须是 shop-desk 数据库文件（sqlite:///路径）。</translation>
    </message>
    <message>
        <source>Database file not found: {path}</source>
        <translation>找不到数据库文件：{path}</translation>
    </message>
    <message>
        <source>{path} is not a shop-desk database.</source>
        <translation>{path} 不是 shop-desk 数据库。</translation>
    </message>
    <message>
        <source>The target must be a PostgreSQL database: postgresql://user:password@host:5432/dbname</source>
        <translation>目标必须是 PostgreSQL 数据库：postgresql://用户名:密码@主机:5432/数据库名</translation>
    </message>
    <message>
        <source>The target database has tables of another program or another version of shop-desk (schema {found}); use a new, empty database.</source>
        <translation>目标数据库中有其他程序或其他版本 shop-desk 的表（结构版本 {found}）；请使用一个新的空数据库。</translation>
    </message>
    <message>
        <source>The target database already holds shop data (table {table} is not empty). migrate-db only fills an empty database; nothing was changed.</source>
        <translation>目标数据库中已有门店数据（表 {table} 不为空）。migrate-db 只向空数据库迁移；未做任何更改。</translation>
    </message>
    <message>
        <source>rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>sum of the ids</source>
        <translation>编号之和</translation>
    </message>
    <message>
        <source>bytes of images</source>
        <translation>图片字节数</translation>
    </message>
    <message>
        <source>sums of the amounts</source>
        <translation>金额合计</translation>
    </message>
    <message>
        <source>Table {table} differs after copying ({what}: {have} on the server, {want} in the file); everything was rolled back, nothing was changed on the server.</source>
        <translation>复制后表 {table} 不一致（{what}：服务器上 {have}，文件中 {want}）；已全部回滚，服务器上未做任何更改。</translation>
    </message>
</context>
<context>
    <name>Models</name>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>OrderAction</name>
    <message>
        <source>check in</source>
        <translation>接车</translation>
    </message>
    <message>
        <source>hand over to the workshop</source>
        <translation>交接给车间</translation>
    </message>
    <message>
        <source>dispatch</source>
        <translation>派工</translation>
    </message>
    <message>
        <source>reassign</source>
        <translation>重新派工</translation>
    </message>
    <message>
        <source>wait for parts</source>
        <translation>等待配件</translation>
    </message>
    <message>
        <source>continue after parts arrived</source>
        <translation>配件到货后继续</translation>
    </message>
    <message>
        <source>continue after the supplier's delivery was received</source>
        <translation>供应商到货入库后继续</translation>
    </message>
    <message>
        <source>ask the customer for authorisation</source>
        <translation>请顾客授权</translation>
    </message>
    <message>
        <source>continue after authorisation</source>
        <translation>授权后继续</translation>
    </message>
    <message>
        <source>send to final inspection</source>
        <translation>送总检</translation>
    </message>
    <message>
        <source>fail final inspection</source>
        <translation>总检不合格</translation>
    </message>
    <message>
        <source>pass final inspection</source>
        <translation>总检合格</translation>
    </message>
    <message>
        <source>finish the car wash</source>
        <translation>完成洗车</translation>
    </message>
    <message>
        <source>send the car back to the workshop</source>
        <translation>将车辆退回车间</translation>
    </message>
    <message>
        <source>deliver</source>
        <translation>交车</translation>
    </message>
    <message>
        <source>settle</source>
        <translation>结算</translation>
    </message>
    <message>
        <source>void the settlement</source>
        <translation>作废结算</translation>
    </message>
    <message>
        <source>let the car out of the gate</source>
        <translation>放行出门</translation>
    </message>
    <message>
        <source>close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>OrderState</name>
    <message>
        <source>Booked</source>
        <extracomment>States an order ends in: nobody moves it on from there. States in which the car is in the workshop (the board's columns). States in which the order's content is frozen (corrections only via a manager-approved void). States before the customer has left with the car, in which the order is still open.</extracomment>
        <translation>已预约</translation>
    </message>
    <message>
        <source>Checked in</source>
        <translation>已接车</translation>
    </message>
    <message>
        <source>Awaiting dispatch</source>
        <translation>待派工</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>维修中</translation>
    </message>
    <message>
        <source>Waiting for parts</source>
        <translation>待料</translation>
    </message>
    <message>
        <source>Waiting for authorisation</source>
        <translation>待顾客授权</translation>
    </message>
    <message>
        <source>Final inspection</source>
        <translation>总检</translation>
    </message>
    <message>
        <source>Rework</source>
        <translation>返工</translation>
    </message>
    <message>
        <source>Car wash</source>
        <translation>洗车</translation>
    </message>
    <message>
        <source>Ready for delivery</source>
        <translation>待交车</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>已交车</translation>
    </message>
    <message>
        <source>Settled</source>
        <translation>已结算</translation>
    </message>
    <message>
        <source>Left the shop</source>
        <translation>已出厂</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>The order is {state} and can no longer be changed; a correction needs a manager-approved void.</source>
        <translation>该工单状态为“{state}”，不能再修改；如需更正，须经总经理审批作废。</translation>
    </message>
    <message>
        <source>Cannot {action}: the order is {state}; this is possible only when it is {allowed}.</source>
        <translation>无法{action}：工单当前状态为“{state}”；只有在“{allowed}”状态下才能进行。</translation>
    </message>
</context>
<context>
    <name>PartPicker</name>
    <message>
        <source>Stock {stock} {unit}, reserved {reserved}, free {free}; bin {bin}.</source>
        <translation>库存 {stock} {unit}，已预留 {reserved}，可用 {free}；库位 {bin}。</translation>
    </message>
    <message>
        <source>Orders waiting for it: {orders}.</source>
        <translation>等待该配件的工单：{orders}。</translation>
    </message>
</context>
<context>
    <name>Parts</name>
    <message>
        <source>Part</source>
        <extracomment>States in which parts may be requested for / issued to an order.</extracomment>
        <translation>备品</translation>
    </message>
    <message>
        <source>Cannot {doing}: order {number} is {state}.</source>
        <translation>无法{doing}：工单 {number} 当前状态为“{state}”。</translation>
    </message>
    <message>
        <source>{line} is not a catalogue part line; parts are drawn only for catalogue parts.</source>
        <translation>{line} 不是目录中的配件行；只能为目录配件领料。</translation>
    </message>
    <message>
        <source>{line} is additional work the customer has not authorised; no parts are drawn for it.</source>
        <translation>{line} 是顾客尚未授权的增项，不能为其领料。</translation>
    </message>
    <message>
        <source>Job line</source>
        <translation>维修项目</translation>
    </message>
    <message>
        <source>request parts</source>
        <translation>申请领料</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>The task order lists {planned} of {line}; {requested} are requested already.</source>
        <translation>任务委托书中 {line} 的数量为 {planned}，已申请 {requested}。</translation>
    </message>
    <message>
        <source>issue parts</source>
        <translation>发料</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>维修技师</translation>
    </message>
    <message>
        <source>{name} is not an active technician.</source>
        <translation>{name} 不是在岗的维修技师。</translation>
    </message>
    <message>
        <source>Choose at least one line to issue parts for.</source>
        <translation>请至少选择一行进行发料。</translation>
    </message>
    <message>
        <source>{line} is listed twice.</source>
        <translation>{line} 重复出现。</translation>
    </message>
    <message>
        <source>{line} belongs to another order.</source>
        <translation>{line} 属于其他工单。</translation>
    </message>
    <message>
        <source>The task order lists {planned} of {line}; {issued} were issued already.</source>
        <translation>任务委托书中 {line} 的数量为 {planned}，已发料 {issued}。</translation>
    </message>
    <message>
        <source>Not enough {part} in stock: {qty} wanted, {free} free (stock {stock}, reserved for other orders {other}).</source>
        <translation>{part} 库存不足：需要 {qty}，可用 {free}（库存 {stock}，已为其他工单预留 {other}）。</translation>
    </message>
    <message>
        <source>Order {number} is {state}, not waiting for parts.</source>
        <translation>工单 {number} 当前为“{state}”，并非待料状态。</translation>
    </message>
    <message>
        <source>{part}: {short} short</source>
        <translation>{part}：缺 {short}</translation>
    </message>
    <message>
        <source>Parts are still missing for order {number}: {parts}.</source>
        <translation>工单 {number} 仍缺配件：{parts}。</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Parts issue slip</source>
        <translation>出库单</translation>
    </message>
    <message>
        <source>The signature image is missing; please sign again.</source>
        <translation>签名图像缺失，请重新签字。</translation>
    </message>
    <message>
        <source>Only {name}, who received the parts, signs slip {number}.</source>
        <translation>出库单 {number} 只能由领料人 {name} 签字。</translation>
    </message>
    <message>
        <source>Parts issue slip {number} is already signed.</source>
        <translation>出库单 {number} 已签字。</translation>
    </message>
    <message>
        <source>Choose at least one line whose parts come back.</source>
        <extracomment>States in which unused parts can come back: the car is in the workshop, not yet delivered.</extracomment>
        <translation>请至少选择一行退回的配件。</translation>
    </message>
    <message>
        <source>{line} is not a catalogue part line.</source>
        <translation>{line} 不是备件目录中的配件行。</translation>
    </message>
    <message>
        <source>Only {issued} of {line} were issued to order {number}; {qty} cannot come back.</source>
        <translation>工单 {number} 的 {line} 只发出 {issued}，不能退回 {qty}。</translation>
    </message>
    <message>
        <source>Parts cannot be returned to stock: order {number} is {state}.</source>
        <translation>无法退料：工单 {number} 当前状态为“{state}”。</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Return slip</source>
        <translation>退料单</translation>
    </message>
    <message>
        <source>Only {name}, who handed the parts back, signs return slip {number}.</source>
        <translation>退料单 {number} 只能由退料人 {name} 签字。</translation>
    </message>
    <message>
        <source>Return slip {number} is already signed.</source>
        <translation>退料单 {number} 已签字。</translation>
    </message>
</context>
<context>
    <name>Penalties</name>
    <message>
        <source>Late arrival on site</source>
        <extracomment>What a verified complaint about a person leads to (篇四: 查实 → 批评, 扣奖金, 记大过), or that the investigation did not bear it out. Complaint causes that, once verified, are a major demerit (记大过): rudeness, asking for money or gifts, delay, a repeat repair (for a personal reason). Complaint states after the investigation: the case is verified. Who sees the register.</extracomment>
        <translation>未按规定时间到达现场</translation>
    </message>
    <message>
        <source>Left the site without calling the service centre</source>
        <translation>未来电服务总部擅自离开</translation>
    </message>
    <message>
        <source>Incomplete service report</source>
        <translation>售后服务报告单未详尽记载</translation>
    </message>
    <message>
        <source>Did not follow the dispatch</source>
        <translation>不服从统一指挥</translation>
    </message>
    <message>
        <source>Major demerit (verified complaint)</source>
        <translation>记大过(投诉查实)</translation>
    </message>
    <message>
        <source>False receipt in an expense claim</source>
        <translation>报销弄虚作假</translation>
    </message>
    <message>
        <source>Criticism (verified complaint)</source>
        <translation>批评（查实的投诉）</translation>
    </message>
    <message>
        <source>Bonus deduction (verified complaint)</source>
        <translation>扣奖金（查实的投诉）</translation>
    </message>
    <message>
        <source>Not borne out by the investigation</source>
        <translation>经调查不属实</translation>
    </message>
    <message>
        <source>Criticism (批评)</source>
        <translation>批评</translation>
    </message>
    <message>
        <source>Bonus deduction (扣奖金)</source>
        <translation>扣奖金</translation>
    </message>
    <message>
        <source>Major demerit (记大过)</source>
        <translation>记大过</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>员工</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>事情经过</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Complaint {number} names no staff member concerned.</source>
        <translation>投诉 {number} 未指明责任人。</translation>
    </message>
    <message>
        <source>Complaint {number} is not about rudeness, money or gifts, delay or a repeat repair; it is not a major demerit.</source>
        <translation>投诉 {number} 不涉及顶撞用户、索要财物、延误或重复修理;不记大过。</translation>
    </message>
    <message>
        <source>Complaint {number} is not verified yet: finish the investigation first.</source>
        <translation>投诉 {number} 尚未查实:请先完成调查。</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>What the investigation found</source>
        <translation>调查结果</translation>
    </message>
    <message>
        <source>The outcome of complaint {number} is recorded already.</source>
        <translation>投诉 {number} 的处理结果已记录。</translation>
    </message>
    <message>
        <source>Amount deducted</source>
        <translation>扣除金额</translation>
    </message>
    <message>
        <source>Only the manager and the supervisor see the penalty register.</source>
        <translation>只有总经理和车间主管可以查看罚款登记。</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
</context>
<context>
    <name>Presence</name>
    <message>
        <source>{station}, open since {since}</source>
        <extracomment>Where the lock byte sits on Windows (its locks are mandatory: kept away from the text).</extracomment>
        <translation>{station}（自 {since} 起打开）</translation>
    </message>
    <message>
        <source>The shop database is being restored from a backup on {station}. Start shop-desk again when the restore is done.</source>
        <extracomment>This process's records, by database file.</extracomment>
        <translation>{station} 正在从备份恢复门店数据库。恢复完成后请重新启动 shop-desk。</translation>
    </message>
    <message>
        <source>Another restore of the shop database is running on {station}.</source>
        <translation>{station} 上正在进行另一次门店数据库恢复。</translation>
    </message>
    <message>
        <source>The shop is open on {stations}. Close shop-desk there (and any board or command using this database) before restoring; nothing was restored.</source>
        <translation>门店数据库正在 {stations} 上打开。恢复之前请先关闭那里的 shop-desk（以及使用此数据库的看板或命令）；未做任何恢复。</translation>
    </message>
</context>
<context>
    <name>PrintPreview</name>
    <message>
        <source>The document could not be prepared: {error}</source>
        <extracomment>Pages are rasterised for the printer at most at this resolution (enough for forms, and a 1200 dpi printer would otherwise need half a gigabyte per page).</extracomment>
        <translation>无法生成单据：{error}</translation>
    </message>
    <message>
        <source>Print preview: {document} {number}</source>
        <extracomment>``copy_mark``: False for the original; a reprint's print number (2 = first copy), or True for a copy of unknown number how the last print went out: "pdf" (the PDF to CUPS) or "image" (painted pages)</extracomment>
        <translation>打印预览：{document} {number}</translation>
    </message>
    <message>
        <source>reprint, marked as copy</source>
        <translation>重打，标注为副本</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>适合宽度</translation>
    </message>
    <message>
        <source>Whole page</source>
        <translation>整页</translation>
    </message>
    <message>
        <source>Zoom</source>
        <translation>缩放</translation>
    </message>
    <message>
        <source>Preparing the document…</source>
        <translation>正在生成单据…</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Save as PDF…</source>
        <translation>另存为 PDF(&amp;S)…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>reprint, marked as copy (print no. {n})</source>
        <translation>重打，标注为副本（第 {n} 次打印）</translation>
    </message>
    <message>
        <source>The PDF could not be displayed.</source>
        <translation>无法显示该 PDF。</translation>
    </message>
    <message>
        <source>{n} page(s)</source>
        <translation>共 {n} 页</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>The PDF could not be saved to {path}: {error}</source>
        <translation>PDF 无法保存到 {path}：{error}</translation>
    </message>
    <message>
        <source>Saved as {path}.</source>
        <translation>已保存为 {path}。</translation>
    </message>
    <message>
        <source>{printer} has no {form} paper: the form prints at its true size (100 %) on {paper}.</source>
        <translation>{printer} 没有 {form} 纸：本单据按原尺寸（100%）打印在 {paper} 纸上。</translation>
    </message>
    <message>
        <source>Sending to {printer}…</source>
        <translation>正在发送到 {printer}…</translation>
    </message>
    <message>
        <source>The printer {name} did not take the job: {error}</source>
        <translation>打印机 {name} 未接受打印任务：{error}</translation>
    </message>
    <message>
        <source>The printer {name} cannot be used; check that it is on.</source>
        <translation>无法使用打印机 {name}，请检查是否已开机。</translation>
    </message>
    <message>
        <source>{document} {number} sent to the printer.</source>
        <translation>{document} {number} 已发送到打印机。</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <source>Task order</source>
        <extracomment>Document kinds, in the order of the process. The field-service forms, by field job number (FW…), not by repair order. The return slip (退料单) of parts not used: printed when parts come back, not on every order. The accessory counter's receipt, by the sale's receipt number (LS…), not by repair order. The test report (检测报告) of a product brought back to the counter, by the case (TH…) or the report's own number; the shop's assessment the customer is handed. The supplier order (采购单), by its number (CG…): the paper that goes to the supplier. The insurer's statement (保险公司对账单), by its number (DZ…: the insurer and the day, see :func:`shop_desk.services.insurer_accounts.statement_number`): sent to the insurer to be paid. The pro-forma settlement slip (预结算单): printed on request before payment, not a form of the process (no station printer of its own, no copies to keep).</extracomment>
        <translation>任务委托书</translation>
    </message>
    <message>
        <source>Vehicle check-in sheet</source>
        <translation>接车登记表</translation>
    </message>
    <message>
        <source>Parts issue slip</source>
        <translation>出库单</translation>
    </message>
    <message>
        <source>Return slip</source>
        <translation>退料单</translation>
    </message>
    <message>
        <source>Settlement slip</source>
        <translation>车辆维修结算单</translation>
    </message>
    <message>
        <source>Gate pass</source>
        <translation>出门证</translation>
    </message>
    <message>
        <source>Pro-forma settlement slip</source>
        <translation>预结算单</translation>
    </message>
    <message>
        <source>Dispatch order</source>
        <translation>派遣单</translation>
    </message>
    <message>
        <source>Service report</source>
        <translation>售后服务报告单</translation>
    </message>
    <message>
        <source>Counter receipt</source>
        <translation>配件零售收据</translation>
    </message>
    <message>
        <source>Test report</source>
        <translation>检测报告</translation>
    </message>
    <message>
        <source>Supplier order</source>
        <translation>采购单</translation>
    </message>
    <message>
        <source>Insurer's statement</source>
        <extracomment>A4 landscape: eleven columns of figures and numbers side by side.</extracomment>
        <translation>保险公司对账单</translation>
    </message>
    <message>
        <source>Unknown language {lang}; choose one of {choices}.</source>
        <translation>未知语言 {lang}；请选择：{choices}。</translation>
    </message>
    <message>
        <source>Unknown document {kind}; choose one of {kinds}.</source>
        <translation>未知单据 {kind}；请选择：{kinds}。</translation>
    </message>
    <message>
        <source>at check-in</source>
        <translation>接车时</translation>
    </message>
    <message>
        <source>found in the workshop</source>
        <translation>车间发现</translation>
    </message>
    <message>
        <source>Walk-around inspection</source>
        <translation>环车检查</translation>
    </message>
    <message>
        <source>Workshop</source>
        <translation>车间</translation>
    </message>
    <message>
        <source>Check-in</source>
        <translation>接车</translation>
    </message>
    <message>
        <source>No.</source>
        <extracomment>False: every string through ReportLab's ``textOut`` (the tests compare both ways). Where a part number or operation code may break: after a hyphen, slash, dot or underscore. The smallest type a code is shrunk to before it is broken over lines.</extracomment>
        <translation>序号</translation>
    </message>
    <message>
        <source>View</source>
        <translation>视图</translation>
    </message>
    <message>
        <source>Damage</source>
        <translation>损伤</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Found at</source>
        <translation>发现环节</translation>
    </message>
    <message>
        <source>No damage marked.</source>
        <translation>未标记损伤。</translation>
    </message>
    <message>
        <source>(photo cannot be read)</source>
        <translation>（照片无法读取）</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Order no.</source>
        <translation>单号</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>车牌号</translation>
    </message>
    <message>
        <source>Make / model</source>
        <translation>品牌 / 车型</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>VIN</source>
        <translation>车架号（VIN）</translation>
    </message>
    <message>
        <source>Check-in time</source>
        <translation>接车时间</translation>
    </message>
    <message>
        <source>Odometer</source>
        <translation>行驶里程</translation>
    </message>
    <message>
        <source>Fuel level</source>
        <translation>油量</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Condition at check-in</source>
        <translation>接车时车况</translation>
    </message>
    <message>
        <source>Warning lights on</source>
        <translation>故障灯亮起</translation>
    </message>
    <message>
        <source>Spare wheel</source>
        <translation>备胎</translation>
    </message>
    <message>
        <source>Tool kit</source>
        <translation>随车工具</translation>
    </message>
    <message>
        <source>Protective set fitted</source>
        <translation>三件套已安装</translation>
    </message>
    <message>
        <source>Valuables left in the car</source>
        <translation>车内贵重物品</translation>
    </message>
    <message>
        <source>None declared</source>
        <translation>未申报</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>The customer confirms the vehicle's condition as recorded above. The shop is not liable for valuables not declared here.</source>
        <translation>顾客确认以上车况记录属实。未在此登记的车内贵重物品，本店不承担责任。</translation>
    </message>
    <message>
        <source>Customer signature</source>
        <translation>顾客签字</translation>
    </message>
    <message>
        <source>Service advisor</source>
        <translation>服务顾问</translation>
    </message>
    <message>
        <source>VOID</source>
        <translation>作废</translation>
    </message>
    <message>
        <source>Voided: this pass does not let the car out.</source>
        <translation>已作废：凭此证车辆不得出门。</translation>
    </message>
    <message>
        <source>USED</source>
        <translation>已使用</translation>
    </message>
    <message>
        <source>Used at the gate {time}</source>
        <translation>已于 {time} 在门岗使用</translation>
    </message>
    <message>
        <source>Pass no.</source>
        <translation>出门证号</translation>
    </message>
    <message>
        <source>{name} (gift)</source>
        <translation>{name}（赠品）</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Sold by</source>
        <translation>售货人</translation>
    </message>
    <message>
        <source>Parts sold</source>
        <translation>售出配件</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Refund ({method}, {reference})</source>
        <translation>退款（{method}，{reference}）</translation>
    </message>
    <message>
        <source>Paid ({method})</source>
        <translation>已付（{method}）</translation>
    </message>
    <message>
        <source>Cash handed over</source>
        <translation>实收现金</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>找零</translation>
    </message>
    <message>
        <source>Paid after refunds</source>
        <translation>退款后实付</translation>
    </message>
    <message>
        <source>Amount in words: {words}</source>
        <translation>大写金额：{words}</translation>
    </message>
    <message>
        <source>Exchange and warranty</source>
        <translation>调换与保修</translation>
    </message>
    <message>
        <source>Repair order</source>
        <extracomment>Half A4 (A5 landscape), like the pre-printed slips at the parts counter. A signature box: what the signer does, the signature image (None: signed on paper), name.</extracomment>
        <translation>工单</translation>
    </message>
    <message>
        <source>Issued by</source>
        <translation>开具人</translation>
    </message>
    <message>
        <source>Exit code</source>
        <translation>出门码</translation>
    </message>
    <message>
        <source>The car has been settled and may leave the premises. The gate keeps this pass.</source>
        <translation>车辆已结账，准予出门。本证由门卫收回。</translation>
    </message>
    <message>
        <source>Checked out at the gate</source>
        <translation>门卫放行</translation>
    </message>
    <message>
        <source>Customer pays</source>
        <translation>客户付费</translation>
    </message>
    <message>
        <source>Warranty claim</source>
        <translation>索赔</translation>
    </message>
    <message>
        <source>Internal</source>
        <translation>内部</translation>
    </message>
    <message>
        <source>Goodwill</source>
        <translation>善意</translation>
    </message>
    <message>
        <source>Insurance</source>
        <translation>保险理赔</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <source>Bank card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <source>WeChat Pay</source>
        <translation>微信支付</translation>
    </message>
    <message>
        <source>Alipay</source>
        <translation>支付宝</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>转账</translation>
    </message>
    <message>
        <source>On account</source>
        <translation>挂账</translation>
    </message>
    <message>
        <source>Not chosen yet</source>
        <translation>尚未选择</translation>
    </message>
    <message>
        <source>Customer takes them</source>
        <translation>顾客带走</translation>
    </message>
    <message>
        <source>Shop disposes</source>
        <translation>店内处理</translation>
    </message>
    <message>
        <source>Not decided</source>
        <translation>未定</translation>
    </message>
    <message>
        <source>Covered by warranty</source>
        <translation>属于质量担保范围</translation>
    </message>
    <message>
        <source>Not covered by warranty</source>
        <translation>不属于质量担保范围</translation>
    </message>
    <message>
        <source>Pending manufacturer approval</source>
        <translation>待厂家审批</translation>
    </message>
    <message>
        <source>Labour</source>
        <translation>工时</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>备品</translation>
    </message>
    <message>
        <source>supplementary assessment, awaiting the insurer's approval</source>
        <translation>追加定损，待保险公司核准</translation>
    </message>
    <message>
        <source>supplementary assessment, declined by the insurer</source>
        <translation>追加定损，保险公司拒赔</translation>
    </message>
    <message>
        <source>supplementary assessment, approved by the insurer</source>
        <translation>追加定损，保险公司已核准</translation>
    </message>
    <message>
        <source>additional work, awaiting customer authorisation</source>
        <translation>增项，待顾客授权</translation>
    </message>
    <message>
        <source>declined by the customer</source>
        <translation>顾客拒绝</translation>
    </message>
    <message>
        <source>additional work, authorised</source>
        <translation>增项，顾客已授权</translation>
    </message>
    <message>
        <source>Scratch</source>
        <translation>划痕</translation>
    </message>
    <message>
        <source>Dent</source>
        <translation>凹陷</translation>
    </message>
    <message>
        <source>Crack</source>
        <translation>裂纹</translation>
    </message>
    <message>
        <source>Chip</source>
        <translation>掉漆</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Top (front at the left)</source>
        <translation>俯视（车头朝左）</translation>
    </message>
    <message>
        <source>Front</source>
        <translation>前</translation>
    </message>
    <message>
        <source>Rear</source>
        <translation>后</translation>
    </message>
    <message>
        <source>Left side</source>
        <translation>左侧</translation>
    </message>
    <message>
        <source>Right side</source>
        <translation>右侧</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>发动机故障灯</translation>
    </message>
    <message>
        <source>ABS</source>
        <translation>ABS</translation>
    </message>
    <message>
        <source>Airbag</source>
        <translation>安全气囊</translation>
    </message>
    <message>
        <source>Oil pressure</source>
        <translation>机油压力</translation>
    </message>
    <message>
        <source>Battery / charging</source>
        <translation>蓄电池 / 充电</translation>
    </message>
    <message>
        <source>Brake</source>
        <translation>制动系统</translation>
    </message>
    <message>
        <source>Tyre pressure</source>
        <translation>胎压</translation>
    </message>
    <message>
        <source>Coolant temperature</source>
        <translation>冷却液温度</translation>
    </message>
    <message>
        <source>Stability control</source>
        <translation>车身稳定系统</translation>
    </message>
    <message>
        <source>Service due</source>
        <translation>保养提示</translation>
    </message>
    <message>
        <source>Low fuel</source>
        <translation>燃油不足</translation>
    </message>
    <message>
        <source>EPC</source>
        <translation>EPC</translation>
    </message>
    <message>
        <source>Seat belt</source>
        <translation>安全带</translation>
    </message>
    <message>
        <source>Glow plug</source>
        <translation>预热塞</translation>
    </message>
    <message>
        <source>Power steering</source>
        <translation>助力转向</translation>
    </message>
    <message>
        <source>Lighting fault</source>
        <translation>灯光故障</translation>
    </message>
    <message>
        <source>Other warning light</source>
        <translation>其他故障灯</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>顾客同意</translation>
    </message>
    <message>
        <source>Declined by the customer</source>
        <translation>顾客拒绝维修</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>{km} km</source>
        <translation>{km} 公里</translation>
    </message>
    <message>
        <source>in person</source>
        <translation>当面</translation>
    </message>
    <message>
        <source>by phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>signed</source>
        <translation>签字</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <source>Page {page} of {pages}</source>
        <extracomment>Chinese, Japanese and Korean characters (and their punctuation): text with any of them wraps between characters, not only at spaces. One pass of the pages per entry (task order: customer copy, office copy); "" = no label. Which print of the document this is (2 = the first copy); 0 when not known.</extracomment>
        <translation>第 {page} 页，共 {pages} 页</translation>
    </message>
    <message>
        <source>Printed {time}</source>
        <translation>打印时间 {time}</translation>
    </message>
    <message>
        <source>{title} {number} (continued)</source>
        <translation>{title} {number}（续）</translation>
    </message>
    <message>
        <source>Reprint: COPY, print no. {n}, not the original</source>
        <translation>补打：副本，第 {n} 次打印，非原件</translation>
    </message>
    <message>
        <source>Reprint: COPY, not the original</source>
        <translation>补打：副本，非原件</translation>
    </message>
    <message>
        <source>COPY</source>
        <translation>副本</translation>
    </message>
    <message>
        <source>Tel. {phone}</source>
        <translation>电话 {phone}</translation>
    </message>
    <message>
        <source>Service centre</source>
        <translation>售后服务中心</translation>
    </message>
    <message>
        <source>Date: {date}</source>
        <extracomment>Table style commands that do not set the look of cells one by one.</extracomment>
        <translation>日期：{date}</translation>
    </message>
    <message>
        <source>Slip no.</source>
        <translation>出库单号</translation>
    </message>
    <message>
        <source>Issued at</source>
        <translation>出库时间</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>维修技师</translation>
    </message>
    <message>
        <source>Within warranty (free)</source>
        <translation>保修期内(免费)</translation>
    </message>
    <message>
        <source>Outside warranty (quoted)</source>
        <translation>保修期外(需报价)</translation>
    </message>
    <message>
        <source>Kind of job</source>
        <translation>服务类型</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Part no.</source>
        <translation>备品编号</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Taken out</source>
        <translation>领出</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>退回</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>使用</translation>
    </message>
    <message>
        <source>No parts taken out</source>
        <translation>未领出配件</translation>
    </message>
    <message>
        <source>Field job no.</source>
        <translation>外出服务单号</translation>
    </message>
    <message>
        <source>Customer's request</source>
        <translation>客户需求</translation>
    </message>
    <message>
        <source>Dispatch record</source>
        <translation>派遣记录</translation>
    </message>
    <message>
        <source>Call registered</source>
        <translation>来电登记</translation>
    </message>
    <message>
        <source>Registered by</source>
        <translation>登记人</translation>
    </message>
    <message>
        <source>Dispatch due</source>
        <translation>派遣期限</translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation>已派遣</translation>
    </message>
    <message>
        <source>Dispatched by</source>
        <translation>派遣人</translation>
    </message>
    <message>
        <source>Service vehicle</source>
        <translation>服务车辆</translation>
    </message>
    <message>
        <source>Crew</source>
        <translation>派遣人员</translation>
    </message>
    <message>
        <source>Customer's required arrival</source>
        <translation>客户要求到达</translation>
    </message>
    <message>
        <source>Promised arrival</source>
        <translation>承诺到达</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>Parts taken out</source>
        <translation>领出配件</translation>
    </message>
    <message>
        <source>Quote (outside warranty)</source>
        <translation>报价(保修期外)</translation>
    </message>
    <message>
        <source>Parts</source>
        <translation>配件</translation>
    </message>
    <message>
        <source>Travel</source>
        <translation>差旅</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Agreed by</source>
        <translation>同意人</translation>
    </message>
    <message>
        <source>Agreed</source>
        <translation>同意时间</translation>
    </message>
    <message>
        <source>On the road</source>
        <translation>外出记录</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>迟到</translation>
    </message>
    <message>
        <source>personal reason</source>
        <translation>个人原因</translation>
    </message>
    <message>
        <source>Left without calling</source>
        <translation>未来电擅自离开</translation>
    </message>
    <message>
        <source>Departed</source>
        <translation>出发</translation>
    </message>
    <message>
        <source>Arrived on site</source>
        <translation>到达现场</translation>
    </message>
    <message>
        <source>Work started</source>
        <translation>开工</translation>
    </message>
    <message>
        <source>Late arrival</source>
        <translation>迟到</translation>
    </message>
    <message>
        <source>Called the service centre</source>
        <translation>来电服务总部</translation>
    </message>
    <message>
        <source>Left the site</source>
        <translation>离开现场</translation>
    </message>
    <message>
        <source>Back at the shop</source>
        <translation>已返回</translation>
    </message>
    <message>
        <source>Towed in</source>
        <translation>拖回</translation>
    </message>
    <message>
        <source>Dispatched by (supervisor)</source>
        <translation>派遣人(车间主管)</translation>
    </message>
    <message>
        <source>Customer (arrival and work)</source>
        <translation>客户(到达及作业确认)</translation>
    </message>
    <message>
        <source>Very satisfied</source>
        <extracomment>The survey's answers, best first (满意度: 5 very satisfied … 1 very dissatisfied).</extracomment>
        <translation>非常满意</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Neutral</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>Dissatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>Very dissatisfied</source>
        <translation>非常不满意</translation>
    </message>
    <message>
        <source>Fault cause</source>
        <translation>故障原因</translation>
    </message>
    <message>
        <source>Solution</source>
        <translation>解决办法</translation>
    </message>
    <message>
        <source>Parts replaced</source>
        <translation>更换零件</translation>
    </message>
    <message>
        <source>Customer's opinion</source>
        <translation>用户意见</translation>
    </message>
    <message>
        <source>Incomplete: {missing}</source>
        <translation>未详尽记载:{missing}</translation>
    </message>
    <message>
        <source>Parts used</source>
        <translation>使用配件</translation>
    </message>
    <message>
        <source>Report written by</source>
        <translation>报告填写人</translation>
    </message>
    <message>
        <source>Satisfaction survey</source>
        <translation>满意度调查表</translation>
    </message>
    <message>
        <source>Overall</source>
        <translation>总体评价</translation>
    </message>
    <message>
        <source>Customer's comments</source>
        <translation>客户意见</translation>
    </message>
    <message>
        <source>Customer's signature</source>
        <translation>顾客签字</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Bin location</source>
        <translation>库位</translation>
    </message>
    <message>
        <source>Pay type</source>
        <translation>付费类型</translation>
    </message>
    <message>
        <source>Parts issued</source>
        <translation>出库备品</translation>
    </message>
    <message>
        <source>{n} item, total quantity {qty}</source>
        <translation>共 {n} 项，总数量 {qty}</translation>
    </message>
    <message>
        <source>{n} items, total quantity {qty}</source>
        <translation>共 {n} 项，总数量 {qty}</translation>
    </message>
    <message>
        <source>Received by (technician)</source>
        <translation>领料人（维修技师）</translation>
    </message>
    <message>
        <source>Issued by (parts clerk)</source>
        <translation>发料人（配件管理员）</translation>
    </message>
    <message>
        <source>claim no. {no}</source>
        <extracomment>Column widths (relative) and alignments of the lines tables (k: a code, kept whole).</extracomment>
        <translation>索赔单号 {no}</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Work done / part</source>
        <translation>维修项目 / 备品</translation>
    </message>
    <message>
        <source>Hours / qty</source>
        <translation>工时 / 数量</translation>
    </message>
    <message>
        <source>Rate / unit price (¥)</source>
        <translation>工时单价 / 单价（元）</translation>
    </message>
    <message>
        <source>Discount (¥)</source>
        <translation>折扣</translation>
    </message>
    <message>
        <source>Amount (¥)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Customer pays (¥)</source>
        <translation>客户付费</translation>
    </message>
    <message>
        <source>Work done</source>
        <translation>维修项目</translation>
    </message>
    <message>
        <source>Labour (customer pays)</source>
        <translation>工时费（客户付费）</translation>
    </message>
    <message>
        <source>Parts (customer pays)</source>
        <translation>备品费（客户付费）</translation>
    </message>
    <message>
        <source>Line discounts (included above)</source>
        <translation>单项折扣（已含在上列金额中）</translation>
    </message>
    <message>
        <source>Order discount</source>
        <translation>整单折扣</translation>
    </message>
    <message>
        <source>Warranty claim total (no charge to the customer)</source>
        <translation>索赔合计（顾客无需支付）</translation>
    </message>
    <message>
        <source>Internal (no charge to the customer)</source>
        <translation>内部（顾客无需支付）</translation>
    </message>
    <message>
        <source>Goodwill (no charge to the customer)</source>
        <translation>善意（顾客无需支付）</translation>
    </message>
    <message>
        <source>Insured work: customer's part</source>
        <translation>保险维修：顾客自付部分</translation>
    </message>
    <message>
        <source>of which tax ({rate}%)</source>
        <translation>其中税额（{rate}%）</translation>
    </message>
    <message>
        <source>No payments.</source>
        <translation>暂无付款。</translation>
    </message>
    <message>
        <source>Paid {paid}; balance {balance}</source>
        <translation>已付 {paid}；余额 {balance}</translation>
    </message>
    <message>
        <source>Paid {paid}; on account {credit}; balance {balance}</source>
        <translation>已付 {paid}；挂账 {credit}；余额 {balance}</translation>
    </message>
    <message>
        <source>Payment method</source>
        <translation>付费方式</translation>
    </message>
    <message>
        <source>Receipt no.</source>
        <translation>收据号</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>交易凭证号</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>付款</translation>
    </message>
    <message>
        <source>Amount due</source>
        <translation>应付金额</translation>
    </message>
    <message>
        <source>In Chinese capitals</source>
        <translation>大写金额</translation>
    </message>
    <message>
        <source>Insured work (shop price)</source>
        <translation>保险维修（本店价格）</translation>
    </message>
    <message>
        <source>Loss assessment covers</source>
        <translation>定损金额</translation>
    </message>
    <message>
        <source>Excess (customer pays)</source>
        <translation>免赔额（顾客自付）</translation>
    </message>
    <message>
        <source>Betterment (customer pays)</source>
        <translation>折旧（顾客自付）</translation>
    </message>
    <message>
        <source>Above the assessment (customer pays)</source>
        <translation>超出定损部分（顾客自付）</translation>
    </message>
    <message>
        <source>Customer's part</source>
        <translation>顾客自付合计</translation>
    </message>
    <message>
        <source>Insurer pays</source>
        <translation>保险公司赔付</translation>
    </message>
    <message>
        <source>Statement no.</source>
        <translation>对账单编号</translation>
    </message>
    <message>
        <source>Statement date</source>
        <translation>对账日期</translation>
    </message>
    <message>
        <source>Insurer</source>
        <translation>保险公司</translation>
    </message>
    <message>
        <source>Open receivables</source>
        <translation>未结清应收款</translation>
    </message>
    <message>
        <source>Claim report no.</source>
        <translation>报案号</translation>
    </message>
    <message>
        <source>Accident date</source>
        <translation>出险日期</translation>
    </message>
    <message>
        <source>Settled on</source>
        <translation>结算日期</translation>
    </message>
    <message>
        <source>Assessed (¥)</source>
        <translation>定损金额（元）</translation>
    </message>
    <message>
        <source>Insurer's part (¥)</source>
        <translation>保险公司赔付（元）</translation>
    </message>
    <message>
        <source>Paid so far (¥)</source>
        <translation>已付金额（元）</translation>
    </message>
    <message>
        <source>Outstanding (¥)</source>
        <translation>未收金额（元）</translation>
    </message>
    <message>
        <source>Age (days)</source>
        <translation>账龄（天）</translation>
    </message>
    <message>
        <source>Nothing is outstanding on {date}.</source>
        <translation>截至 {date} 无未收金额。</translation>
    </message>
    <message>
        <source>{n} open receivable</source>
        <translation>共 {n} 笔未结清应收款</translation>
    </message>
    <message>
        <source>{n} open receivables</source>
        <translation>共 {n} 笔未结清应收款</translation>
    </message>
    <message>
        <source>Insurer's part in all</source>
        <translation>保险公司赔付合计</translation>
    </message>
    <message>
        <source>Paid so far</source>
        <translation>已付金额</translation>
    </message>
    <message>
        <source>Outstanding</source>
        <translation>未收金额</translation>
    </message>
    <message>
        <source>Outstanding in words: {words}</source>
        <translation>未收金额大写：{words}</translation>
    </message>
    <message>
        <source>Please check the receivables above and confirm them with your signature and stamp; payments received after {date} are not shown. Pay the outstanding amount to the shop's account, giving the repair order numbers.</source>
        <translation>请核对以上应收款，并签字盖章确认；{date} 之后收到的付款未列入本对账单。请将未收金额汇入本店账户，并注明工单号。</translation>
    </message>
    <message>
        <source>Outstanding by age</source>
        <translation>未收金额账龄</translation>
    </message>
    <message>
        <source>For the shop (signature and stamp)</source>
        <translation>本店（签字盖章）</translation>
    </message>
    <message>
        <source>Confirmed by the insurer (signature and stamp)</source>
        <translation>保险公司确认（签字盖章）</translation>
    </message>
    <message>
        <source>Policy no.</source>
        <translation>保单号</translation>
    </message>
    <message>
        <source>Loss assessor</source>
        <translation>定损员</translation>
    </message>
    <message>
        <source>Insurance claim: who pays</source>
        <translation>保险理赔：费用分担</translation>
    </message>
    <message>
        <source>signed on paper</source>
        <translation>纸面签字</translation>
    </message>
    <message>
        <source>Safety-relevant</source>
        <translation>涉及安全</translation>
    </message>
    <message>
        <source>Recommended work</source>
        <translation>建议维修项目</translation>
    </message>
    <message>
        <source>Safety</source>
        <translation>涉及安全</translation>
    </message>
    <message>
        <source>Customer's decision</source>
        <translation>顾客决定</translation>
    </message>
    <message>
        <source>Customer signature (declined)</source>
        <translation>顾客签字（拒绝维修）</translation>
    </message>
    <message>
        <source>Safety-relevant work was explained to the customer, including the possible consequences of not repairing it; the customer declined it and signed above.</source>
        <translation>已向顾客说明涉及安全的建议维修项目必须维修的原因及不修复可能带来的严重后果；顾客拒绝维修并已在上方签字。</translation>
    </message>
    <message>
        <source>First service</source>
        <translation>首次保养（首保）</translation>
    </message>
    <message>
        <source>This was the car's first service, charged as listed above. The warranty terms and the importance of regular maintenance were explained to the customer.</source>
        <translation>本次为车辆首次保养（首保），按上列金额收费。已向顾客说明质量担保条款及定期保养的重要性。</translation>
    </message>
    <message>
        <source>PRO-FORMA: NOT A RECEIPT. The bill as it stands before payment; the amounts may still change until the order is settled.</source>
        <translation>预结算单：非收款凭证。本单为付款前的费用明细，结算前金额仍可能变动。</translation>
    </message>
    <message>
        <source>Settlement no.</source>
        <translation>结算单号</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>交车时间</translation>
    </message>
    <message>
        <source>Settled</source>
        <translation>结账时间</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>收银员</translation>
    </message>
    <message>
        <source>Quality checks</source>
        <translation>质量检验</translation>
    </message>
    <message>
        <source>Next service and follow-up</source>
        <translation>下次保养与回访</translation>
    </message>
    <message>
        <source>Next service date</source>
        <translation>下次保养时间</translation>
    </message>
    <message>
        <source>Next service mileage</source>
        <translation>下次保养里程</translation>
    </message>
    <message>
        <source>Follow-up call time</source>
        <translation>方便回访时间</translation>
    </message>
    <message>
        <source>First free service</source>
        <translation>首保</translation>
    </message>
    <message>
        <source>This was the car's first service, which is free of charge. The warranty terms and the importance of regular maintenance were explained to the customer.</source>
        <translation>本次为车辆首次保养（首保），免费。已向顾客简要介绍质量担保规定和定期维护保养的重要性。</translation>
    </message>
    <message>
        <source>We will call you within {days} days at the time above to ask whether you are satisfied. Please keep this slip; the car leaves the premises with the gate pass.</source>
        <translation>我们将在{days}天内按上述时间致电回访，了解您是否满意。请保管好本结算单；车辆凭出门证出门。</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>No work lines yet.</source>
        <translation>暂无维修项目。</translation>
    </message>
    <message>
        <source>Warranty claim (no charge to the customer)</source>
        <translation>保修索赔（顾客无需支付）</translation>
    </message>
    <message>
        <source>{pay_type} (no charge to the customer)</source>
        <translation>{pay_type}（顾客无需支付）</translation>
    </message>
    <message>
        <source>Estimated total (customer pays)</source>
        <translation>预估合计（客户付费）</translation>
    </message>
    <message>
        <source>of which tax</source>
        <translation>其中税额</translation>
    </message>
    <message>
        <source>Estimate</source>
        <translation>费用估算</translation>
    </message>
    <message>
        <source>Waits in the lounge</source>
        <translation>在休息室等候</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>顾客拒绝</translation>
    </message>
    <message>
        <source>Leaves; we call when the car is ready</source>
        <translation>先行离开，完工后通知顾客</translation>
    </message>
    <message>
        <source>Old parts</source>
        <translation>旧件处理</translation>
    </message>
    <message>
        <source>Free car wash</source>
        <translation>免费洗车</translation>
    </message>
    <message>
        <source>Customer waiting</source>
        <translation>顾客等候</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>交车</translation>
    </message>
    <message>
        <source>Walk-around with the service advisor at pick-up; the car leaves with a gate pass.</source>
        <translation>取车时由服务顾问陪同验车；车辆凭出门证出门。</translation>
    </message>
    <message>
        <source>Additional work found during the repair is done only after the customer has agreed to it and authorised it. The service advisor asks the customer in person before any additional work starts.</source>
        <translation>维修过程中如发现新的维修项目（增项），须经顾客同意并授权后方可进行。服务顾问将在增项开工前当面征得顾客同意。</translation>
    </message>
    <message>
        <source>Additional work found during the repair is done only after the customer has agreed to it and authorised it. The service advisor calls the customer at {phone} before any additional work starts.</source>
        <translation>维修过程中如发现新的维修项目（增项），须经顾客同意并授权后方可进行。服务顾问将在增项开工前致电 {phone} 征得顾客同意。</translation>
    </message>
    <message>
        <source>Agreements</source>
        <translation>约定事项</translation>
    </message>
    <message>
        <source>Additional work</source>
        <translation>增项</translation>
    </message>
    <message>
        <source>Team-leader advice</source>
        <translation>班组长建议</translation>
    </message>
    <message>
        <source>By signing, the customer confirms the complaint, the vehicle's condition and the estimate above and asks the shop to carry out the work.</source>
        <translation>顾客签字即确认以上故障描述、车况及费用估算，并委托本店进行维修。</translation>
    </message>
    <message>
        <source>Additional work {n} (not part of the signed estimate)</source>
        <translation>增项 {n}（不属于顾客已签字的费用估算）</translation>
    </message>
    <message>
        <source>Return slip no.</source>
        <translation>退料单号</translation>
    </message>
    <message>
        <source>Returned at</source>
        <translation>退料时间</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Left on the order</source>
        <translation>工单保留数量</translation>
    </message>
    <message>
        <source>Parts returned to stock</source>
        <translation>退库配件</translation>
    </message>
    <message>
        <source>Returned by (technician)</source>
        <translation>退料人（维修技师）</translation>
    </message>
    <message>
        <source>Received by (parts clerk)</source>
        <translation>收料人（配件管理员）</translation>
    </message>
    <message>
        <source>Authorised, {n} line declined</source>
        <translation>已授权，{n} 项被顾客拒绝</translation>
    </message>
    <message>
        <source>Authorised, {n} lines declined</source>
        <translation>已授权，{n} 项被顾客拒绝</translation>
    </message>
    <message>
        <source>Authorised</source>
        <translation>已授权</translation>
    </message>
    <message>
        <source>Authorised by</source>
        <translation>授权人</translation>
    </message>
    <message>
        <source>When</source>
        <translation>授权时间</translation>
    </message>
    <message>
        <source>How</source>
        <translation>授权方式</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation>记录人</translation>
    </message>
    <message>
        <source>Amount authorised</source>
        <translation>授权金额</translation>
    </message>
    <message>
        <source>Customer's authorisation</source>
        <translation>顾客授权签字</translation>
    </message>
    <message>
        <source>Estimate plus authorised additional work</source>
        <translation>费用估算及已授权增项合计</translation>
    </message>
    <message>
        <source>Promised completion</source>
        <translation>预计完工时间</translation>
    </message>
    <message>
        <source>Driving licence</source>
        <translation>行驶证</translation>
    </message>
    <message>
        <source>Maintenance booklet</source>
        <translation>保养手册</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Customer's complaint</source>
        <translation>顾客描述</translation>
    </message>
    <message>
        <source>Diagnosis needed: the price is given after the diagnosis.</source>
        <translation>需故障诊断：诊断后再报价。</translation>
    </message>
    <message>
        <source>Diagnosis</source>
        <translation>故障诊断</translation>
    </message>
    <message>
        <source>Warranty</source>
        <translation>保修</translation>
    </message>
    <message>
        <source>Customer copy</source>
        <translation>客户联</translation>
    </message>
    <message>
        <source>Office copy</source>
        <translation>存根联</translation>
    </message>
    <message>
        <source>There is no repair order {number}.</source>
        <extracomment>Signature.document values this read model looks for (besides the FKs on the rows). States in which the order has been settled (a settlement slip and a gate pass may exist). Decided additional work (增项), each with its own authorisation, printed after the signed estimate; ``lines`` and ``totals`` are only what the customer signed for. The estimate plus the authorised additional work (what the customer has agreed to). The first service (首保) cost the customer nothing on this slip: only then does the slip say it was free. Who passed the self-check, the team-leader check and the final inspection of the last round: (stage, name). A pro-forma slip (预结算单): the bill as it stands before payment, not a receipt. an insured order: the split between the insurer and the customer when the car left with it: a used pass prints 已使用 / USED across it voided with its settlement: prints 作废 / VOID across it (the gate refuses it)</extracomment>
        <translation>没有维修单 {number}。</translation>
    </message>
    <message>
        <source>Order {number} has no walk-around inspection yet, so there is no vehicle check-in sheet to print.</source>
        <extracomment>The checks of the rulebook's 100 % quality control, in their order.</extracomment>
        <translation>维修单 {number} 尚未进行环车检查，没有可打印的接车登记表。</translation>
    </message>
    <message>
        <source>No parts have been issued for order {number} yet.</source>
        <translation>维修单 {number} 尚未领料出库。</translation>
    </message>
    <message>
        <source>No parts have been returned to stock for order {number}.</source>
        <translation>工单 {number} 没有退料记录。</translation>
    </message>
    <message>
        <source>Order {number} has not been settled yet, so there is no settlement slip to print.</source>
        <translation>维修单 {number} 尚未结账，没有可打印的车辆维修结算单。</translation>
    </message>
    <message>
        <source>Order {number} is settled: print its settlement slip instead of a pro-forma.</source>
        <extracomment>States in which a pro-forma slip makes no sense: nothing done yet, or nothing to pay.</extracomment>
        <translation>工单 {number} 已结算：请打印车辆维修结算单，而不是预结算单。</translation>
    </message>
    <message>
        <source>Order {number} has no work to bill, so there is no pro-forma slip to print.</source>
        <translation>工单 {number} 没有可结算的维修项目，没有预结算单可打印。</translation>
    </message>
    <message>
        <source>Order {number} has not been settled yet; the gate pass is printed after settlement.</source>
        <translation>维修单 {number} 尚未结账；出门证在结账后打印。</translation>
    </message>
    <message>
        <source>No gate pass has been issued for order {number} yet.</source>
        <translation>维修单 {number} 尚未开具出门证。</translation>
    </message>
    <message>
        <source>There is no {document} {number}.</source>
        <translation>没有{document} {number}。</translation>
    </message>
    <message>
        <source>supplier order</source>
        <translation>采购单</translation>
    </message>
    <message>
        <source>insurer's statement</source>
        <translation>保险公司对账单</translation>
    </message>
    <message>
        <source>counter case or test report</source>
        <translation>退换单或检测报告</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>单据</translation>
    </message>
    <message>
        <source>Document number</source>
        <translation>单据编号</translation>
    </message>
    <message>
        <source>There is no counter sale with receipt number {number}.</source>
        <translation>没有收据号为 {number} 的配件零售。</translation>
    </message>
    <message>
        <source>command line</source>
        <translation>命令行</translation>
    </message>
    <message>
        <source>Exchange or refund within {n} days of the sale for a quality fault, on the shop's test report; exterior damage or missing parts void the exchange. Keep this receipt and the packaging.</source>
        <translation>自购买之日起 {n} 天内非人为质量问题，凭本店检测报告可调换或退货；外观损坏或配件缺失不予调换。请保管好本收据和包装盒。</translation>
    </message>
    <message>
        <source>Warranty: products {product}, accessories {accessory}. A faulty product sent in is assessed; with a quality fault the replacement goes out within {days} days of receipt.</source>
        <translation>保修：产品 {product}，附件 {accessory}。寄回的问题产品经鉴定属于质量问题的，自收到之日起 {days} 天内寄出新货。</translation>
    </message>
    <message>
        <source>Gifts are neither exchanged nor under warranty. Every return needs the general manager's approval; without it the costs stay with the customer.</source>
        <translation>赠品不属于更换和保修范围。退货须经总经理同意，未经总经理同意的退货，一切费用由顾客承担。</translation>
    </message>
    <message>
        <source>Not under warranty ({category}): {items}.</source>
        <translation>不在保修范围内（{category}）：{items}。</translation>
    </message>
    <message>
        <source>There is no counter case or test report {number}.</source>
        <translation>没有退换单或检测报告 {number}。</translation>
    </message>
    <message>
        <source>Case {number} has no test report yet: record it first.</source>
        <translation>退换单 {number} 还没有检测报告：请先保存检测报告。</translation>
    </message>
    <message>
        <source>Supplier order no.</source>
        <translation>采购单编号</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供应商</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Ordered at</source>
        <translation>下单时间</translation>
    </message>
    <message>
        <source>Sent at</source>
        <translation>发出时间</translation>
    </message>
    <message>
        <source>Last received</source>
        <translation>最近到货</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>For</source>
        <translation>用于</translation>
    </message>
    <message>
        <source>Parts ordered</source>
        <translation>采购配件</translation>
    </message>
    <message>
        <source>Ordered</source>
        <translation>采购数量</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>到货数量</translation>
    </message>
    <message>
        <source>Still expected</source>
        <translation>待到数量</translation>
    </message>
    <message>
        <source>Ordered by (parts clerk)</source>
        <translation>采购人（配件管理员）</translation>
    </message>
    <message>
        <source>Confirmed by the supplier</source>
        <translation>供应商确认</translation>
    </message>
    <message>
        <source>Test report no.</source>
        <translation>检测报告编号</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>退换单</translation>
    </message>
    <message>
        <source>Sold on</source>
        <translation>售出日期</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>The customer asks for</source>
        <translation>顾客要求</translation>
    </message>
    <message>
        <source>Received at</source>
        <translation>收到时间</translation>
    </message>
    <message>
        <source>Days after the sale</source>
        <translation>售出后天数</translation>
    </message>
    <message>
        <source>Warranty until</source>
        <translation>保修截止</translation>
    </message>
    <message>
        <source>Fault in the customer's words</source>
        <translation>顾客描述的故障</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>检测结果</translation>
    </message>
    <message>
        <source>Assessment</source>
        <translation>鉴定</translation>
    </message>
    <message>
        <source>Quality fault</source>
        <translation>质量问题</translation>
    </message>
    <message>
        <source>Faulty part</source>
        <translation>故障部件</translation>
    </message>
    <message>
        <source>Exterior damaged</source>
        <translation>外观损坏</translation>
    </message>
    <message>
        <source>Parts missing</source>
        <translation>配件缺失</translation>
    </message>
    <message>
        <source>Tested</source>
        <translation>已检测</translation>
    </message>
    <message>
        <source>Tested by</source>
        <translation>检测人</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>决定</translation>
    </message>
    <message>
        <source>Every exchange, refund or replacement needs the general manager's approval; without it the costs stay with the customer.</source>
        <translation>每一次换货、退款或换新都需要总经理审批；未经审批，费用由顾客承担。</translation>
    </message>
    <message>
        <source>Repair order {number} waits for these parts</source>
        <translation>工单 {number} 等待这些配件</translation>
    </message>
    <message>
        <source>To restock the shelf (below the reorder level)</source>
        <translation>补充库存（低于再订货点）</translation>
    </message>
    <message>
        <source>There is no insurer's statement {number}.</source>
        <translation>没有保险公司对账单 {number}。</translation>
    </message>
</context>
<context>
    <name>Purchasing</name>
    <message>
        <source>Draft</source>
        <extracomment>A supplier order still expected: what is on it counts as on order. The supplier's answers that end a claim.</extracomment>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Sent to the supplier</source>
        <translation>已发给供应商</translation>
    </message>
    <message>
        <source>Partly received</source>
        <translation>部分到货</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>已到货</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>已登记</translation>
    </message>
    <message>
        <source>Claimed from the supplier</source>
        <translation>已向供应商索赔</translation>
    </message>
    <message>
        <source>Accepted by the supplier</source>
        <translation>供应商已受理</translation>
    </message>
    <message>
        <source>Credited</source>
        <translation>已赔付</translation>
    </message>
    <message>
        <source>Replaced</source>
        <translation>已换货</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>send</source>
        <translation>发出</translation>
    </message>
    <message>
        <source>receive</source>
        <translation>到货入库</translation>
    </message>
    <message>
        <source>cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>record as accepted</source>
        <translation>登记为已受理</translation>
    </message>
    <message>
        <source>record as credited</source>
        <translation>登记为已赔付</translation>
    </message>
    <message>
        <source>record as replaced</source>
        <translation>登记为已换货</translation>
    </message>
    <message>
        <source>record as refused</source>
        <translation>登记为已拒绝</translation>
    </message>
    <message>
        <source>Cannot {action}: {what} is {state}; this is possible only when it is {allowed}.</source>
        <translation>无法{action}：{what} 当前为“{state}”，只有在“{allowed}”时才可以。</translation>
    </message>
    <message>
        <source>supplier order {number}</source>
        <translation>采购单 {number}</translation>
    </message>
    <message>
        <source>claim {number}</source>
        <translation>索赔单 {number}</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供应商</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Say whether the supplier is still used (yes or no).</source>
        <translation>请说明该供应商是否仍在使用（是或否）。</translation>
    </message>
    <message>
        <source>There is a supplier called {name} already.</source>
        <translation>已有名为 {name} 的供应商。</translation>
    </message>
    <message>
        <source>Phone must be text.</source>
        <translation>电话必须是文字。</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Reorder level</source>
        <translation>再订货点</translation>
    </message>
    <message>
        <source>{name} is no longer an active supplier.</source>
        <translation>{name} 已不是在用的供应商。</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Order {number} lacks nothing that is not on a supplier order already.</source>
        <translation>工单 {number} 所缺配件均已在采购单上。</translation>
    </message>
    <message>
        <source>No part is below its reorder level.</source>
        <translation>没有低于再订货点的配件。</translation>
    </message>
    <message>
        <source>Choose at least one part to order.</source>
        <translation>请至少选择一种要采购的配件。</translation>
    </message>
    <message>
        <source>{part} is listed twice.</source>
        <translation>{part} 重复出现。</translation>
    </message>
    <message>
        <source>Supplier order</source>
        <translation>采购单</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Enter what came in for at least one line.</source>
        <translation>请至少填写一行的到货数量。</translation>
    </message>
    <message>
        <source>Supplier order line</source>
        <translation>采购单明细</translation>
    </message>
    <message>
        <source>That line belongs to another supplier order.</source>
        <translation>该明细属于另一张采购单。</translation>
    </message>
    <message>
        <source>{qty} of {part} came in, but only {left} are still expected on {number}.</source>
        <translation>{part} 到货 {qty}，但采购单 {number} 只剩 {left} 未到。</translation>
    </message>
    <message>
        <source>Supplier order {number} booked into stock.</source>
        <translation>采购单 {number} 已入库。</translation>
    </message>
    <message>
        <source>These orders can go on: {orders}.</source>
        <translation>以下工单可以继续：{orders}。</translation>
    </message>
    <message>
        <source>Still waiting for other parts: {orders}.</source>
        <translation>仍在等待其他配件：{orders}。</translation>
    </message>
    <message>
        <source>Fault</source>
        <extracomment>The supplier's answers a claim records (the action of the claim's state table).</extracomment>
        <translation>故障描述</translation>
    </message>
    <message>
        <source>Choose the part or the repair order line the claim is for.</source>
        <translation>请选择索赔对应的配件或工单配件行。</translation>
    </message>
    <message>
        <source>Claim</source>
        <translation>索赔单</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>答复</translation>
    </message>
    <message>
        <source>Credit</source>
        <translation>赔付金额</translation>
    </message>
    <message>
        <source>Write down why the supplier refused the claim.</source>
        <translation>请写明供应商拒绝索赔的原因。</translation>
    </message>
    <message>
        <source>The date is not valid.</source>
        <translation>日期无效。</translation>
    </message>
    <message>
        <source>There is no supplier order {number}.</source>
        <translation>没有采购单 {number}。</translation>
    </message>
</context>
<context>
    <name>Reception</name>
    <message>
        <source>Order {number} is {state}; this is done at reception, while the order is {allowed}.</source>
        <extracomment>Warning-light codes the check-in sheet offers (free codes are accepted too).</extracomment>
        <translation>工单 {number} 状态为“{state}”；此操作在接车时进行，工单须为“{allowed}”。</translation>
    </message>
    <message>
        <source>The customer signed the task order of {number} at {time}. To change it, reopen the task order; the customer then signs again.</source>
        <translation>顾客已于 {time} 在工单 {number} 的任务委托书上签字。如需修改，请重新打开任务委托书，之后须顾客重新签字。</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <extracomment>Words of a routine-service request (a request, not a problem the customer reports).</extracomment>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>预约</translation>
    </message>
    <message>
        <source>This appointment is no longer booked ({status}).</source>
        <translation>该预约已不是预约状态（{status}）。</translation>
    </message>
    <message>
        <source>The appointment is for another vehicle ({vehicle}).</source>
        <translation>该预约属于另一辆车（{vehicle}）。</translation>
    </message>
    <message>
        <source>{vehicle} is already in the shop on order {number} ({state}).</source>
        <translation>{vehicle} 已在店内，工单 {number}（{state}）。</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>The vehicle has no owner on file; choose the customer who brings it.</source>
        <translation>该车未登记车主，请选择送修客户。</translation>
    </message>
    <message>
        <source>Customer's complaint</source>
        <translation>顾客描述</translation>
    </message>
    <message>
        <source>The order of this appointment is not booked any more; receive the car as a walk-in.</source>
        <translation>该预约的工单已不是预约状态，请按直接进店接车。</translation>
    </message>
    <message>
        <source>Damage marks</source>
        <extracomment>The most memory an image may take decoded (4 bytes a pixel): Qt's image reader refuses larger ones by default too, and a photo or signature never comes near it.</extracomment>
        <translation>损伤标记</translation>
    </message>
    <message>
        <source>Damage mark {n} is not valid.</source>
        <translation>第 {n} 个损伤标记无效。</translation>
    </message>
    <message>
        <source>View of the car</source>
        <translation>车辆视图</translation>
    </message>
    <message>
        <source>Kind of damage</source>
        <translation>损伤类型</translation>
    </message>
    <message>
        <source>Damage mark {n} lies outside the car diagram.</source>
        <translation>第 {n} 个损伤标记超出车辆示意图。</translation>
    </message>
    <message>
        <source>Damage mark {n} lies beside the car: place it on the car in the drawing.</source>
        <translation>第 {n} 个损伤标记在车身以外：请标在图中的车身上。</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Photo {n} is not valid.</source>
        <translation>第 {n} 张照片无效。</translation>
    </message>
    <message>
        <source>File name</source>
        <translation>文件名</translation>
    </message>
    <message>
        <source>Photo {name} is larger than 10 MB.</source>
        <translation>照片 {name} 超过 10 MB。</translation>
    </message>
    <message>
        <source>{name} is not a picture the program can read.</source>
        <translation>{name} 不是可读取的图片。</translation>
    </message>
    <message>
        <source>Fuel level (%)</source>
        <translation>油量（%）</translation>
    </message>
    <message>
        <source>Warning light</source>
        <translation>故障灯</translation>
    </message>
    <message>
        <source>Valuables left in the car</source>
        <translation>车内贵重物品</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Diagnosis</source>
        <translation>故障诊断</translation>
    </message>
    <message>
        <source>Driving licence no.</source>
        <translation>行驶证号</translation>
    </message>
    <message>
        <source>Maintenance booklet no.</source>
        <translation>保养手册号</translation>
    </message>
    <message>
        <source>Repair order</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Check the car in before deciding the warranty of order {number}.</source>
        <translation>请先接车，再判定工单 {number} 的质量担保。</translation>
    </message>
    <message>
        <source>Warranty decision</source>
        <translation>质量担保判定</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Order {number} has lines paid by warranty; change their pay type before deciding that the work is not covered.</source>
        <translation>工单 {number} 有按保修索赔付费的项目；判定为不保修前请先修改其付费类型。</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Pay type</source>
        <translation>付费类型</translation>
    </message>
    <message>
        <source>A line can be paid by warranty only after the warranty decision is 'covered' or 'pending manufacturer approval'.</source>
        <translation>只有质量担保判定为“保修”或“待厂家审批”后，项目才能按保修索赔付费。</translation>
    </message>
    <message>
        <source>A line can be paid by the insurance only on an accident car with its insurance claim recorded.</source>
        <translation>只有已登记保险报案的事故车，项目才能由保险支付。</translation>
    </message>
    <message>
        <source>Labour operation</source>
        <translation>工时项目</translation>
    </message>
    <message>
        <source>The labour operation {code} is no longer offered.</source>
        <translation>工时项目 {code} 已停用。</translation>
    </message>
    <message>
        <source>Choose a labour operation or describe the work.</source>
        <translation>请选择工时项目或填写作业内容。</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>工时</translation>
    </message>
    <message>
        <source>Labour rate</source>
        <translation>工时单价</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>备品</translation>
    </message>
    <message>
        <source>The part {part_no} is no longer sold.</source>
        <translation>配件 {part_no} 已停售。</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>That value does not belong to this kind of line.</source>
        <translation>该数值不适用于此类项目。</translation>
    </message>
    <message>
        <source>Choose the promised completion time.</source>
        <translation>请选择预计完工时间。</translation>
    </message>
    <message>
        <source>The promised completion time cannot be in the past.</source>
        <translation>预计完工时间不能早于现在。</translation>
    </message>
    <message>
        <source>Payment method</source>
        <translation>付费方式</translation>
    </message>
    <message>
        <source>{name} has no credit limit; on account is only for company customers with one.</source>
        <translation>{name} 没有挂账额度；挂账仅适用于有额度的单位客户。</translation>
    </message>
    <message>
        <source>Authorisation by</source>
        <translation>授权方式</translation>
    </message>
    <message>
        <source>Old parts</source>
        <translation>旧件处理</translation>
    </message>
    <message>
        <source>The signature is empty; please ask the customer to sign.</source>
        <translation>签名为空，请顾客签字。</translation>
    </message>
    <message>
        <source>The signature image cannot be read.</source>
        <translation>无法读取签名图像。</translation>
    </message>
    <message>
        <source>That is not a signature: almost the whole pad is inked.</source>
        <translation>这不是签名：几乎整个签字区都被涂满。</translation>
    </message>
    <message>
        <source>The signature is too small (only a dot or a short stroke); please ask the customer to sign again.</source>
        <translation>签名过小（只有一个点或一小笔），请顾客重新签字。</translation>
    </message>
    <message>
        <source>the customer's complaint</source>
        <translation>顾客描述</translation>
    </message>
    <message>
        <source>the walk-around inspection</source>
        <translation>环车检查</translation>
    </message>
    <message>
        <source>at least one estimate line (or 'diagnosis needed')</source>
        <translation>至少一个估算项目（或“需诊断”）</translation>
    </message>
    <message>
        <source>the promised completion time</source>
        <translation>预计完工时间</translation>
    </message>
    <message>
        <source>a promised completion time that is not already past</source>
        <translation>未过期的预计完工时间</translation>
    </message>
    <message>
        <source>the payment method</source>
        <translation>付费方式</translation>
    </message>
    <message>
        <source>Signed by</source>
        <translation>签字人</translation>
    </message>
    <message>
        <source>The task order cannot be signed yet; still missing: {missing}.</source>
        <translation>任务委托书暂不能签字，尚缺：{missing}。</translation>
    </message>
    <message>
        <source>The task order of {number} is not signed.</source>
        <translation>工单 {number} 的任务委托书尚未签字。</translation>
    </message>
    <message>
        <source>Say which workshop supervisor received the car, the key and the documents.</source>
        <translation>请说明是哪位车间主管接收了车辆、钥匙和单据。</translation>
    </message>
    <message>
        <source>The car is handed over to a workshop supervisor: {names}.</source>
        <translation>车辆须交接给车间主管：{names}。</translation>
    </message>
    <message>
        <source>Order {number} cannot go to the workshop yet: the customer has not signed the task order.</source>
        <translation>工单 {number} 暂不能交车间：顾客尚未在任务委托书上签字。</translation>
    </message>
    <message>
        <source>Hand the key, the task order and the check-in sheet to the workshop together with the car.</source>
        <translation>请将车钥匙、任务委托书和接车登记表随车一并交给车间。</translation>
    </message>
    <message>
        <source>Handover notes</source>
        <translation>交接说明</translation>
    </message>
</context>
<context>
    <name>ReceptionComplaintForm</name>
    <message>
        <source>Customer's &amp;complaint, in the customer's own words</source>
        <translation>顾客描述（顾客原话）(&amp;C)</translation>
    </message>
    <message>
        <source>e.g. Squeaking from the front when braking, since last week.</source>
        <translation>例如：上周开始，刹车时前部有异响。</translation>
    </message>
    <message>
        <source>Standard jobs (adds the work to the estimate):</source>
        <translation>常用项目（同时加入费用估算）：</translation>
    </message>
    <message>
        <source>&amp;Diagnosis needed: the fault cannot be found now; the price follows after the diagnosis</source>
        <translation>需故障诊断(&amp;D)：现场无法确认故障，诊断后再报价</translation>
    </message>
    <message>
        <source>Fault confirmation / dia&amp;gnosis</source>
        <translation>故障确认 / 故障诊断(&amp;G)</translation>
    </message>
    <message>
        <source>Warranty decision</source>
        <translation>质量担保判定</translation>
    </message>
    <message>
        <source>Co&amp;vered by warranty</source>
        <translation>属于质量担保(&amp;V)</translation>
    </message>
    <message>
        <source>N&amp;ot covered</source>
        <translation>不属于质量担保(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Pending manufacturer approval</source>
        <translation>待厂家审批(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation>原因(&amp;R)</translation>
    </message>
    <message>
        <source>Driving &amp;licence no.</source>
        <translation>行驶证号(&amp;L)</translation>
    </message>
    <message>
        <source>Maintenance &amp;booklet no.</source>
        <translation>保养手册号(&amp;B)</translation>
    </message>
</context>
<context>
    <name>ReceptionForm</name>
    <message>
        <source>Reception</source>
        <translation>接车</translation>
    </message>
    <message>
        <source>Cancel reception…</source>
        <translation>取消接车…</translation>
    </message>
    <message>
        <source>&amp;New reception</source>
        <translation>新的接车(&amp;N)</translation>
    </message>
    <message>
        <source>Start receiving the next car (Ctrl+N)</source>
        <translation>开始接下一辆车（Ctrl+N）</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>上一步(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Next</source>
        <translation>下一步(&amp;N)</translation>
    </message>
</context>
<context>
    <name>ReceptionPage</name>
    <message>
        <source>Vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Walk-around</source>
        <translation>环车检查</translation>
    </message>
    <message>
        <source>Complaint &amp; warranty</source>
        <translation>问诊与质保</translation>
    </message>
    <message>
        <source>Estimate</source>
        <translation>费用估算</translation>
    </message>
    <message>
        <source>Task order &amp; signature</source>
        <translation>任务委托书与签字</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <source>Bank card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <source>WeChat Pay</source>
        <translation>微信支付</translation>
    </message>
    <message>
        <source>Alipay</source>
        <translation>支付宝</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>转账</translation>
    </message>
    <message>
        <source>On account</source>
        <translation>挂账</translation>
    </message>
    <message>
        <source>Whole vehicle</source>
        <translation>整车</translation>
    </message>
    <message>
        <source>Body and paint</source>
        <translation>钣金喷漆</translation>
    </message>
    <message>
        <source>Wear parts</source>
        <translation>易损件</translation>
    </message>
    <message>
        <source>Accessories</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Maintenance</source>
        <translation>保养</translation>
    </message>
    <message>
        <source>Shop-fitted parts</source>
        <translation>本店装配的配件</translation>
    </message>
    <message>
        <source>Close this message</source>
        <translation>关闭此消息</translation>
    </message>
    <message>
        <source>Service archive</source>
        <translation>服务档案</translation>
    </message>
    <message>
        <source>Choose a car to see its service archive.</source>
        <translation>选择车辆后显示其服务档案。</translation>
    </message>
    <message>
        <source>Warranty status</source>
        <translation>质保状态</translation>
    </message>
    <message>
        <source>Declined earlier — raise again</source>
        <translation>曾被拒绝——再次建议</translation>
    </message>
    <message>
        <source>(safety-relevant)</source>
        <translation>（涉及安全）</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Add it to the estimate</source>
        <translation>加入费用估算</translation>
    </message>
    <message>
        <source>Open complaints</source>
        <translation>未结投诉</translation>
    </message>
    <message>
        <source>Field jobs</source>
        <translation>外出服务</translation>
    </message>
    <message>
        <source>Towed in: repair order {number}</source>
        <translation>拖车进厂：工单 {number}</translation>
    </message>
    <message>
        <source>Past visits</source>
        <translation>来店记录</translation>
    </message>
    <message>
        <source>First visit at this shop.</source>
        <translation>首次来本店。</translation>
    </message>
    <message>
        <source>comeback</source>
        <translation>返修</translation>
    </message>
    <message>
        <source>{n} earlier visits</source>
        <translation>另有 {n} 次更早的来店</translation>
    </message>
    <message>
        <source>Brought by someone else</source>
        <translation>他人送修</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>使用</translation>
    </message>
    <message>
        <source>The person who brings the car signs the task order. A phone number on file picks that customer; otherwise the person is registered.</source>
        <translation>由送车人签署任务委托书。电话号码已登记时直接选用该客户，否则登记为新客户。</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>On file: {name}</source>
        <translation>已登记：{name}</translation>
    </message>
    <message>
        <source>&amp;Warranty card…</source>
        <translation>保卡(&amp;W)…</translation>
    </message>
    <message>
        <source>The car's own warranty terms from its warranty card: extended, shortened or excluded cover.</source>
        <translation>按该车保卡记录的专属担保条款：延长、缩短或不在担保范围。</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Requested work</source>
        <translation>预约项目</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Advisor</source>
        <translation>服务顾问</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Adds {op} and its usual parts to the estimate.</source>
        <translation>把 {op} 及其常用备品加入费用估算。</translation>
    </message>
    <message>
        <source>Reload to see the other change; what you typed on this step stays.</source>
        <translation>请重新载入查看其他人的修改；本步骤中已输入的内容会保留。</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>重新载入</translation>
    </message>
    <message>
        <source>Reception — a new car</source>
        <translation>接车——新车辆</translation>
    </message>
    <message>
        <source>Walk-in</source>
        <translation>直接进店</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>预约</translation>
    </message>
    <message>
        <source>Comeback</source>
        <translation>返修</translation>
    </message>
    <message>
        <source>Continue ▶</source>
        <translation>继续 ▶</translation>
    </message>
    <message>
        <source>Check in ▶</source>
        <translation>接车 ▶</translation>
    </message>
    <message>
        <source>Hand over to the workshop</source>
        <translation>交接给车间</translation>
    </message>
    <message>
        <source>Sign and hand over</source>
        <translation>签字并交接</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>下一步 ▶</translation>
    </message>
    <message>
        <source>Type the plate and press Enter to choose the car, Enter again to check it in.</source>
        <translation>输入车牌后按回车选择车辆，再按回车即接车。</translation>
    </message>
    <message>
        <source>Tap damage on the car; type the odometer. Enter saves and goes on.</source>
        <translation>点击车身标记损伤，输入行驶里程；回车保存并进入下一步。</translation>
    </message>
    <message>
        <source>Write what the customer says. A standard job adds its work to the estimate.</source>
        <translation>记录顾客原话。点常用项目会把相应工时和备品加入费用估算。</translation>
    </message>
    <message>
        <source>Type to find labour or parts; Enter adds the highlighted one. Enter on an empty field goes on.</source>
        <translation>输入查找工时项目或备品，回车添加选中项；输入框为空时回车进入下一步。</translation>
    </message>
    <message>
        <source>The customer signs in the box, or on the printed task order (tick “Signed on paper”).</source>
        <translation>顾客在框内签字，或在打印的任务委托书上签字（勾选“纸面签字”）。</translation>
    </message>
    <message>
        <source>Ctrl+Enter: next step.</source>
        <translation>Ctrl+Enter：下一步。</translation>
    </message>
    <message>
        <source>Check the car in first (step 1).</source>
        <translation>请先接车（第 1 步）。</translation>
    </message>
    <message>
        <source>Nothing on file for “{text}”. Press the button to register it.</source>
        <translation>没有找到“{text}”。请点按钮登记新客户或车辆。</translation>
    </message>
    <message>
        <source>being received on {number}</source>
        <translation>正在接车，工单 {number}</translation>
    </message>
    <message>
        <source>booked today</source>
        <translation>今日有预约</translation>
    </message>
    <message>
        <source>Owner: {name} {phone}</source>
        <translation>车主：{name} {phone}</translation>
    </message>
    <message>
        <source>Brought by: {name} {phone}</source>
        <translation>送修人：{name} {phone}</translation>
    </message>
    <message>
        <source>No owner on file: choose who brings the car (“Brought by someone else”).</source>
        <translation>没有车主记录：请选择送修人（“他人送修”）。</translation>
    </message>
    <message>
        <source>Last odometer reading: {km} km</source>
        <translation>上次行驶里程：{km} 公里</translation>
    </message>
    <message>
        <source>Warranty card for {category}: {terms} ({note})</source>
        <translation>{category}保卡：{terms}（{note}）</translation>
    </message>
    <message>
        <source>Booked today at {time}: {work}. The car is received on this appointment.</source>
        <translation>今日 {time} 已预约：{work}。本次按该预约接车。</translation>
    </message>
    <message>
        <source>Walk-in: no appointment today.</source>
        <translation>直接进店：今日无预约。</translation>
    </message>
    <message>
        <source>Chosen: {vehicle}.</source>
        <translation>已选择：{vehicle}。</translation>
    </message>
    <message>
        <source>Choose the car first.</source>
        <translation>请先选择车辆。</translation>
    </message>
    <message>
        <source>This looks like a comeback of order {number}: the same problem again. It is counted as a comeback.</source>
        <translation>这似乎是工单 {number} 的返修（同一问题重复修理），将计为返修。</translation>
    </message>
    <message>
        <source>Raise again what the customer declined last time: {work}.</source>
        <translation>请再次建议顾客上次拒绝的项目：{work}。</translation>
    </message>
    <message>
        <source>{vehicle} checked in on order {number}.</source>
        <translation>{vehicle} 已接车，工单 {number}。</translation>
    </message>
    <message>
        <source>The appointment no longer exists.</source>
        <translation>该预约已不存在。</translation>
    </message>
    <message>
        <source>Start another reception?</source>
        <translation>开始另一次接车？</translation>
    </message>
    <message>
        <source>Order {number} stays checked in and can be continued later; what you typed on this step and have not saved is dropped.</source>
        <translation>工单 {number} 保持已接车状态，可稍后继续；本步骤中尚未保存的输入将丢弃。</translation>
    </message>
    <message>
        <source>Start another</source>
        <translation>开始另一次接车</translation>
    </message>
    <message>
        <source>The order no longer exists.</source>
        <translation>该工单已不存在。</translation>
    </message>
    <message>
        <source>Order {number} is {state}; it is no longer at reception.</source>
        <translation>工单 {number} 状态为{state}，已不在接车环节。</translation>
    </message>
    <message>
        <source>Lower odometer reading</source>
        <translation>行驶里程低于上次</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Confirm the reading</source>
        <translation>确认此读数</translation>
    </message>
    <message>
        <source>e.g. instrument cluster replaced</source>
        <translation>例如：更换过仪表</translation>
    </message>
    <message>
        <source>Walk-around saved.</source>
        <translation>环车检查已保存。</translation>
    </message>
    <message>
        <source>The warranty rules suggest: {status}. {reason}</source>
        <translation>按质保规则建议：{status}。{reason}</translation>
    </message>
    <message>
        <source>Complaint and warranty saved.</source>
        <translation>问诊与质保判定已保存。</translation>
    </message>
    <message>
        <source>Added to the estimate: {work}.</source>
        <translation>已加入费用估算：{work}。</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>已添加</translation>
    </message>
    <message>
        <source>on paper</source>
        <translation>纸面签字</translation>
    </message>
    <message>
        <source>on the pad</source>
        <translation>签字板签字</translation>
    </message>
    <message>
        <source>The customer signed the task order at {time} ({how}).</source>
        <translation>顾客已于 {time} 签署任务委托书（{how}）。</translation>
    </message>
    <message>
        <source>the customer's signature</source>
        <translation>顾客签字</translation>
    </message>
    <message>
        <source>✔ Signed. Hand the car over to the workshop.</source>
        <translation>✔ 已签字。请把车辆交接给车间。</translation>
    </message>
    <message>
        <source>Insurance…</source>
        <translation>保险理赔…</translation>
    </message>
    <message>
        <source>Accident car: the insurance claim, photos for the insurer and the loss assessment</source>
        <translation>事故车：保险报案、提供给保险公司的照片和定损</translation>
    </message>
    <message>
        <source>Accident car / insurance saved.</source>
        <translation>事故车 / 保险理赔已保存。</translation>
    </message>
    <message>
        <source>Save the walk-around first; the check-in sheet shows it.</source>
        <translation>请先保存环车检查；接车登记表需要它。</translation>
    </message>
    <message>
        <source>{number} ({vehicle}) is signed and handed over to the workshop; it waits for dispatch.</source>
        <translation>{number}（{vehicle}）已签字并交接给车间，等待派工。</translation>
    </message>
    <message>
        <source>Print the task order</source>
        <translation>打印任务委托书</translation>
    </message>
    <message>
        <source>Print the check-in sheet</source>
        <translation>打印接车登记表</translation>
    </message>
    <message>
        <source>{number} handed over to the workshop.</source>
        <translation>{number} 已交接给车间。</translation>
    </message>
    <message>
        <source>Start a new reception?</source>
        <translation>开始新的接车？</translation>
    </message>
    <message>
        <source>What you typed on this step is not saved yet. The order stays checked in and can be continued from the list.</source>
        <translation>本步骤的输入尚未保存。工单保持已接车状态，可从列表中继续。</translation>
    </message>
    <message>
        <source>Start a new reception</source>
        <translation>开始新的接车</translation>
    </message>
    <message>
        <source>Cancel reception</source>
        <translation>取消接车</translation>
    </message>
    <message>
        <source>Cancel order {number}? Reserved parts go back to the stock. This cannot be undone.</source>
        <translation>取消工单 {number}？已预留的备品将退回库存。此操作无法撤销。</translation>
    </message>
    <message>
        <source>Cancel the order</source>
        <translation>取消工单</translation>
    </message>
    <message>
        <source>Order {number} was cancelled.</source>
        <translation>工单 {number} 已取消。</translation>
    </message>
    <message>
        <source>Reloaded. Your input on this step is kept; save it again.</source>
        <translation>已重新载入。本步骤的输入已保留，请再次保存。</translation>
    </message>
    <message>
        <source>A reception was not finished ({title}, {time}). Restore what was typed?</source>
        <translation>有一次接车尚未完成（{title}，{time}）。恢复已输入的内容吗？</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>The unfinished reception is back.</source>
        <translation>未完成的接车已恢复。</translation>
    </message>
    <message>
        <source>Reception is not open to {name}.</source>
        <translation>{name} 无权使用接车功能。</translation>
    </message>
    <message>
        <source>Reception</source>
        <translation>接车</translation>
    </message>
    <message>
        <source>Warranty card of {car}</source>
        <translation>{car}的保卡</translation>
    </message>
    <message>
        <source>A warranty card (保卡) gives this car its own terms for a category: they win over the shop's policy. Today at {km} km:</source>
        <translation>保卡为此车某一类别规定专属条款，优先于本店政策。今日，{km} 公里：</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Card terms</source>
        <translation>保卡条款</translation>
    </message>
    <message>
        <source>Card number or note</source>
        <translation>保卡号或备注</translation>
    </message>
    <message>
        <source>Decision today</source>
        <translation>今日判定</translation>
    </message>
    <message>
        <source>&amp;Remove the card</source>
        <translation>移除保卡(&amp;R)</translation>
    </message>
    <message>
        <source>Add a card</source>
        <translation>登记保卡</translation>
    </message>
    <message>
        <source>Covered until</source>
        <translation>担保至</translation>
    </message>
    <message>
        <source>e.g. 150000</source>
        <translation>如 150000</translation>
    </message>
    <message>
        <source>Covered up to km</source>
        <translation>担保至公里数</translation>
    </message>
    <message>
        <source>Excluded: this category is not covered for this car</source>
        <translation>不在担保范围：此车该类别不保修</translation>
    </message>
    <message>
        <source>e.g. 延保卡 EW-2026-0815</source>
        <translation>如 延保卡 EW-2026-0815</translation>
    </message>
    <message>
        <source>&amp;Add the card</source>
        <translation>登记保卡(&amp;A)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Your roles do not allow this.</source>
        <translation>您的角色无权执行此操作。</translation>
    </message>
    <message>
        <source>The card {note} is recorded for {category}.</source>
        <translation>保卡 {note} 已登记（{category}）。</translation>
    </message>
    <message>
        <source>The card {note} is removed; the shop's policy applies.</source>
        <translation>保卡 {note} 已移除，按本店政策判定。</translation>
    </message>
    <message>
        <source>Remove the card</source>
        <translation>移除保卡</translation>
    </message>
    <message>
        <source>Remove the card {note} ({category})? The shop's policy then decides this car's {category}.</source>
        <translation>移除保卡 {note}（{category}）？此后此车的{category}按本店政策判定。</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
</context>
<context>
    <name>ReceptionTaskOrderForm</name>
    <message>
        <source>Task order</source>
        <translation>任务委托书</translation>
    </message>
    <message>
        <source>&amp;Payment method</source>
        <translation>付费方式(&amp;P)</translation>
    </message>
    <message>
        <source>Old parts</source>
        <translation>旧件处理</translation>
    </message>
    <message>
        <source>Shop &amp;disposes</source>
        <translation>店内处理(&amp;D)</translation>
    </message>
    <message>
        <source>Customer &amp;takes them</source>
        <translation>顾客带走(&amp;T)</translation>
    </message>
    <message>
        <source>Free car &amp;wash</source>
        <translation>免费洗车(&amp;W)</translation>
    </message>
    <message>
        <source>Additional work is authorised</source>
        <translation>增项授权方式</translation>
    </message>
    <message>
        <source>by p&amp;hone</source>
        <translation>电话(&amp;H)</translation>
    </message>
    <message>
        <source>in p&amp;erson</source>
        <translation>当面(&amp;E)</translation>
    </message>
    <message>
        <source>Customer &amp;waits in the lounge</source>
        <translation>顾客在休息室等候(&amp;W)</translation>
    </message>
    <message>
        <source>Handover to the workshop</source>
        <translation>交接给车间</translation>
    </message>
    <message>
        <source>&amp;Key goes with the car</source>
        <translation>车钥匙随车交接(&amp;K)</translation>
    </message>
    <message>
        <source>Task order and check-in sheet go with the car</source>
        <translation>任务委托书和接车登记表随车交接</translation>
    </message>
    <message>
        <source>N&amp;otes for the workshop</source>
        <translation>给车间的备注(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Received by (supervisor)</source>
        <translation>接收主管(&amp;R)</translation>
    </message>
    <message>
        <source>Before the customer signs</source>
        <translation>顾客签字前</translation>
    </message>
    <message>
        <source>What is still missing</source>
        <translation>尚缺内容</translation>
    </message>
    <message>
        <source>Customer's signature</source>
        <translation>顾客签字</translation>
    </message>
    <message>
        <source>Explain the task order to the customer: the work and its price, the promised time, and that additional work is done only after the customer agrees.</source>
        <translation>向顾客解释任务委托书：维修项目与价格、预计完工时间，以及增项须经顾客同意并授权后才进行。</translation>
    </message>
    <message>
        <source>Signed &amp;by</source>
        <translation>签字人(&amp;B)</translation>
    </message>
    <message>
        <source>Print task &amp;order…</source>
        <translation>打印任务委托书(&amp;O)…</translation>
    </message>
    <message>
        <source>Print check-&amp;in sheet…</source>
        <translation>打印接车登记表(&amp;I)…</translation>
    </message>
    <message>
        <source>Paper path: print both, let the customer sign the task order, then tick "Signed on paper".</source>
        <translation>纸面签字：打印两份单据，请顾客在任务委托书上签字，然后勾选“纸面签字”。</translation>
    </message>
</context>
<context>
    <name>ReceptionVehicleForm</name>
    <message>
        <source>&amp;Find the car: plate, VIN, phone or name</source>
        <translation>查找车辆(&amp;F)：车牌、VIN、电话或姓名</translation>
    </message>
    <message>
        <source>e.g. 沪A88K21, 138 0013 8000, Wang</source>
        <translation>例如：沪A88K21、138 0013 8000、王</translation>
    </message>
    <message>
        <source>New customer or &amp;vehicle…</source>
        <translation>新客户或新车辆(&amp;V)…</translation>
    </message>
    <message>
        <source>Matching vehicles</source>
        <translation>匹配的车辆</translation>
    </message>
    <message>
        <source>Today's appointments</source>
        <translation>今日预约</translation>
    </message>
    <message>
        <source>Receptions in progress (not handed over yet)</source>
        <translation>正在接车（尚未交接）</translation>
    </message>
    <message>
        <source>Receptions in progress</source>
        <translation>正在接车</translation>
    </message>
    <message>
        <source>The car to receive</source>
        <translation>待接车辆</translation>
    </message>
    <message>
        <source>Find the car on the left, pick today's appointment, or register a new customer or vehicle.</source>
        <translation>在左侧查找车辆、选择今日预约，或登记新客户或车辆。</translation>
    </message>
    <message>
        <source>Brought by &amp;someone else…</source>
        <translation>他人送修(&amp;S)…</translation>
    </message>
    <message>
        <source>The person bringing the car is not its owner on file.</source>
        <translation>送车人不是登记的车主。</translation>
    </message>
    <message>
        <source>&amp;Edit customer or vehicle…</source>
        <translation>修改客户或车辆(&amp;E)…</translation>
    </message>
</context>
<context>
    <name>ReportPage</name>
    <message>
        <source>&amp;Month:</source>
        <translation>月份(&amp;M)：</translation>
    </message>
    <message>
        <source>Month of the report</source>
        <translation>报表月份</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>从(&amp;F)：</translation>
    </message>
    <message>
        <source>First day of the report</source>
        <translation>报表起始日</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Last day of the report</source>
        <translation>报表截止日</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>显示(&amp;S)</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>导出 CSV(&amp;C)…</translation>
    </message>
    <message>
        <source>Export &amp;Excel…</source>
        <translation>导出 Excel(&amp;E)…</translation>
    </message>
    <message>
        <source>Figures</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>Tables</source>
        <translation>明细表</translation>
    </message>
    <message>
        <source>&amp;Table:</source>
        <translation>表格(&amp;T)：</translation>
    </message>
    <message>
        <source>Report table</source>
        <translation>报表明细</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <source>(no technician)</source>
        <translation>（无维修技师）</translation>
    </message>
    <message>
        <source>(no team)</source>
        <translation>（无班组）</translation>
    </message>
    <message>
        <source>Give the first and the last day of the report.</source>
        <translation>请填写报表的起止日期。</translation>
    </message>
    <message>
        <source>The last day of the report lies before its first day.</source>
        <translation>报表的结束日期早于开始日期。</translation>
    </message>
    <message>
        <source>Give the year of the report, e.g. 2026.</source>
        <translation>请填写报表年份，例如 2026。</translation>
    </message>
    <message>
        <source>The month must be between 1 and 12.</source>
        <translation>月份必须在 1 到 12 之间。</translation>
    </message>
    <message>
        <source>Customer pays</source>
        <translation>客户付费</translation>
    </message>
    <message>
        <source>Warranty</source>
        <translation>保修索赔</translation>
    </message>
    <message>
        <source>Internal</source>
        <translation>内部</translation>
    </message>
    <message>
        <source>Goodwill</source>
        <translation>善意</translation>
    </message>
    <message>
        <source>Insurance</source>
        <translation>保险理赔</translation>
    </message>
    <message>
        <source>Rude to a customer</source>
        <translation>对顾客态度恶劣</translation>
    </message>
    <message>
        <source>Asked a customer for money or favours</source>
        <translation>向顾客索要钱物</translation>
    </message>
    <message>
        <source>Late because of a staff member</source>
        <translation>因员工原因延误</translation>
    </message>
    <message>
        <source>Comeback (same problem repaired twice)</source>
        <translation>返修（同一问题重复修理）</translation>
    </message>
    <message>
        <source>Quality of the work</source>
        <translation>维修质量</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Monthly report {month}</source>
        <translation>月度报表 {month}</translation>
    </message>
    <message>
        <source>Report {start} – {end}</source>
        <translation>报表 {start} – {end}</translation>
    </message>
    <message>
        <source>{percent}% ({part} of {whole})</source>
        <translation>{percent}%（{whole} 中 {part}）</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>统计期间</translation>
    </message>
    <message>
        <source>Repair orders checked in</source>
        <translation>接车工单数</translation>
    </message>
    <message>
        <source>Cancelled orders</source>
        <translation>取消的工单</translation>
    </message>
    <message>
        <source>Cars per day with check-ins (average)</source>
        <translation>每个接车日平均台次</translation>
    </message>
    <message>
        <source>Busiest day</source>
        <translation>接车最多的一天</translation>
    </message>
    <message>
        <source>{date}: {cars} cars</source>
        <translation>{date}：{cars} 台</translation>
    </message>
    <message>
        <source>Settled orders</source>
        <translation>已结账工单</translation>
    </message>
    <message>
        <source>Labour revenue</source>
        <translation>工时收入</translation>
    </message>
    <message>
        <source>Parts revenue</source>
        <translation>配件收入</translation>
    </message>
    <message>
        <source>Revenue: {pay_type}</source>
        <translation>收入：{pay_type}</translation>
    </message>
    <message>
        <source>Order discounts</source>
        <translation>整单优惠</translation>
    </message>
    <message>
        <source>Total revenue (tax included)</source>
        <translation>总收入（含税）</translation>
    </message>
    <message>
        <source>Average revenue per settled order</source>
        <translation>单车平均产值</translation>
    </message>
    <message>
        <source>Labour hours sold</source>
        <translation>销售工时</translation>
    </message>
    <message>
        <source>Labour hours clocked</source>
        <translation>实际工时</translation>
    </message>
    <message>
        <source>Efficiency (hours sold / clocked)</source>
        <translation>工时效率（销售工时 / 实际工时）</translation>
    </message>
    <message>
        <source>Delivered on time</source>
        <translation>按时交车</translation>
    </message>
    <message>
        <source>Final inspection passed first time</source>
        <translation>总检一次合格</translation>
    </message>
    <message>
        <source>Comebacks</source>
        <translation>返修</translation>
    </message>
    <message>
        <source>Follow-up calls finished</source>
        <translation>已完成回访</translation>
    </message>
    <message>
        <source>Customers reached</source>
        <translation>联系上的顾客</translation>
    </message>
    <message>
        <source>Average satisfaction (1–5)</source>
        <translation>平均满意度（1–5）</translation>
    </message>
    <message>
        <source>Dissatisfied customers</source>
        <translation>不满意的顾客</translation>
    </message>
    <message>
        <source>Fault not gone after the repair</source>
        <translation>修后故障未排除</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Field jobs</source>
        <translation>外出服务</translation>
    </message>
    <message>
        <source>Field jobs: {kind}</source>
        <translation>外出服务:{kind}</translation>
    </message>
    <message>
        <source>Field: on site on time</source>
        <translation>外出服务:按时到达现场</translation>
    </message>
    <message>
        <source>Field: service reports complete</source>
        <translation>外出服务:报告单填写完整</translation>
    </message>
    <message>
        <source>Field: average satisfaction (1–5)</source>
        <translation>外出服务:平均满意度(1–5)</translation>
    </message>
    <message>
        <source>Field: expenses claimed</source>
        <translation>外出服务:申请报销</translation>
    </message>
    <message>
        <source>Field: expenses approved</source>
        <translation>外出服务:批准报销</translation>
    </message>
    <message>
        <source>Penalty cases</source>
        <translation>罚款记录</translation>
    </message>
    <message>
        <source>Major demerits</source>
        <translation>记大过</translation>
    </message>
    <message>
        <source>Penalties (amount)</source>
        <translation>罚款金额</translation>
    </message>
    <message>
        <source>Field: expenses paid</source>
        <translation>外出服务:已付报销</translation>
    </message>
    <message>
        <source>Calls answered within 24 hours</source>
        <extracomment>How many entries the "top" lists show. Distinct complaint texts (most frequent first) grouped into recurring faults. pay type -&gt; {"labour": amount, "part": amount}, gross of the order discounts SQL: the amount of a job line in fen (what :func:`orders.line_total` computes).</extracomment>
        <translation>24 小时内答复的来电</translation>
    </message>
    <message>
        <source>Follow-up calls within 3 days</source>
        <translation>3 天内完成的回访</translation>
    </message>
    <message>
        <source>Refunds</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>Refunds (amount)</source>
        <translation>退款（金额）</translation>
    </message>
    <message>
        <source>Settlements voided</source>
        <translation>作废的结算单</translation>
    </message>
    <message>
        <source>Warranty claims: {state}</source>
        <translation>索赔：{state}</translation>
    </message>
    <message>
        <source>Complaints closed</source>
        <translation>已结案投诉</translation>
    </message>
    <message>
        <source>Complaints: average days to close</source>
        <translation>投诉：平均结案天数</translation>
    </message>
    <message>
        <source>Counter sales</source>
        <translation>配件零售笔数</translation>
    </message>
    <message>
        <source>Counter sales: revenue</source>
        <translation>配件零售：收入</translation>
    </message>
    <message>
        <source>Counter sales: refunds</source>
        <translation>配件零售：退款</translation>
    </message>
    <message>
        <source>Counter sales: net</source>
        <translation>配件零售：净收入</translation>
    </message>
    <message>
        <source>Counter: products brought back</source>
        <translation>配件零售：退回产品数</translation>
    </message>
    <message>
        <source>Counter: replacements sent</source>
        <translation>配件零售：已换新数</translation>
    </message>
    <message>
        <source>Parts returned to stock: return slips</source>
        <translation>退回库存的配件：退料单</translation>
    </message>
    <message>
        <source>Parts returned to stock: value</source>
        <translation>退回库存的配件：金额</translation>
    </message>
    <message>
        <source>Supplier orders sent</source>
        <translation>已发出的采购单</translation>
    </message>
    <message>
        <source>Supplier orders received in full</source>
        <translation>全部到货的采购单</translation>
    </message>
    <message>
        <source>Supplier claims opened</source>
        <translation>新开供应商索赔</translation>
    </message>
    <message>
        <source>Supplier claims answered</source>
        <translation>已答复的供应商索赔</translation>
    </message>
    <message>
        <source>Supplier claims: credited</source>
        <translation>供应商索赔：已抵扣</translation>
    </message>
    <message>
        <source>Insurance: billed to insurers</source>
        <translation>保险理赔：向保险公司结算</translation>
    </message>
    <message>
        <source>Insurer receivables outstanding</source>
        <translation>保险应收款未收金额</translation>
    </message>
    <message>
        <source>Insurer receivables: {age}</source>
        <translation>保险应收款：{age}</translation>
    </message>
    <message>
        <source>Hours sold</source>
        <translation>销售工时</translation>
    </message>
    <message>
        <source>Hours clocked</source>
        <translation>实际工时</translation>
    </message>
    <message>
        <source>Efficiency (%)</source>
        <translation>工时效率（%）</translation>
    </message>
    <message>
        <source>Pay type</source>
        <translation>付费类型</translation>
    </message>
    <message>
        <source>Labour</source>
        <translation>工时</translation>
    </message>
    <message>
        <source>Parts</source>
        <translation>配件</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>汇总</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Cars per day</source>
        <translation>每日台次</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Cars checked in</source>
        <translation>接车台次</translation>
    </message>
    <message>
        <source>Months</source>
        <translation>各月</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Revenue</source>
        <translation>收入</translation>
    </message>
    <message>
        <source>Teams</source>
        <translation>班组</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>班组</translation>
    </message>
    <message>
        <source>Technicians</source>
        <translation>维修技师</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>维修技师</translation>
    </message>
    <message>
        <source>Complaints by cause</source>
        <translation>投诉（按原因）</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Complaints by staff</source>
        <translation>投诉（按员工）</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>员工</translation>
    </message>
    <message>
        <source>Recurring work</source>
        <translation>重复出现的工时项目</translation>
    </message>
    <message>
        <source>Labour operation</source>
        <translation>工时项目</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>工单数</translation>
    </message>
    <message>
        <source>Recurring complaints</source>
        <translation>重复出现的故障描述</translation>
    </message>
    <message>
        <source>Customer's complaint</source>
        <translation>顾客描述</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>配件</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Kind of job</source>
        <translation>服务类型</translation>
    </message>
    <message>
        <source>Penalties per person</source>
        <translation>每人罚款与记大过</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Insurer receivables</source>
        <translation>保险应收款</translation>
    </message>
    <message>
        <source>Insurer</source>
        <translation>保险公司</translation>
    </message>
    <message>
        <source>Written: {path}</source>
        <translation>已写入：{path}</translation>
    </message>
</context>
<context>
    <name>ReportsUi</name>
    <message>
        <source>Monthly report</source>
        <translation>月度报表</translation>
    </message>
    <message>
        <source>The report</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Figure</source>
        <extracomment>Show the progress bar when the report is not there after this many ms. Up to this many days the car chart has one bar per day, beyond it one per month.</extracomment>
        <translation>指标</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Per technician</source>
        <translation>按维修技师</translation>
    </message>
    <message>
        <source>Per team</source>
        <translation>按班组</translation>
    </message>
    <message>
        <source>The last day lies before the first day; swap them.</source>
        <translation>截止日早于起始日，请对调。</translation>
    </message>
    <message>
        <source>Computing {start} – {end}…</source>
        <translation>正在计算 {start} – {end}…</translation>
    </message>
    <message>
        <source>Computed {when}.</source>
        <translation>生成于 {when}。</translation>
    </message>
    <message>
        <source>Cars checked in per day</source>
        <translation>每日接车台次</translation>
    </message>
    <message>
        <source>Cars checked in per month</source>
        <translation>每月接车台次</translation>
    </message>
    <message>
        <source>Cars checked in</source>
        <translation>接车台次</translation>
    </message>
    <message>
        <source>Revenue by pay type ({total})</source>
        <translation>按付费类型的营业额（{total}）</translation>
    </message>
    <message>
        <source>no settled orders</source>
        <translation>无已结账工单</translation>
    </message>
    <message>
        <source>Hours sold and clocked per technician</source>
        <translation>各维修技师销售工时与实际工时</translation>
    </message>
    <message>
        <source>Hours sold and clocked per team</source>
        <translation>各班组销售工时与实际工时</translation>
    </message>
    <message>
        <source>Hours sold</source>
        <translation>销售工时</translation>
    </message>
    <message>
        <source>Hours clocked</source>
        <translation>实际工时</translation>
    </message>
    <message>
        <source>Export the report as CSV</source>
        <translation>导出报表为 CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Export the report for Excel</source>
        <translation>导出报表为 Excel</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Written: {path}</source>
        <translation>已写入：{path}</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <source>Service advisor</source>
        <extracomment>Decides approvals besides the general manager (four eyes in a shop with one manager).</extracomment>
        <translation>服务顾问</translation>
    </message>
    <message>
        <source>Workshop supervisor</source>
        <translation>车间主管</translation>
    </message>
    <message>
        <source>Team leader</source>
        <translation>班组长</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>维修技师</translation>
    </message>
    <message>
        <source>QC inspector</source>
        <translation>质检员</translation>
    </message>
    <message>
        <source>Washer</source>
        <translation>洗车工</translation>
    </message>
    <message>
        <source>Parts clerk</source>
        <translation>配件管理员</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>收银员</translation>
    </message>
    <message>
        <source>Customer-relations clerk</source>
        <translation>客服专员</translation>
    </message>
    <message>
        <source>General manager</source>
        <translation>总经理</translation>
    </message>
    <message>
        <source>Deputy approver</source>
        <translation>副审批人</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>系统管理员</translation>
    </message>
</context>
<context>
    <name>Sanbao</name>
    <message>
        <source>Single repair over 5 days</source>
        <extracomment>Serious safety faults repaired this often are "approaching"; one more repair reaches it. The first days / km of the period in which one serious safety fault allows a replacement. Serious safety faults: words in the complaint, diagnosis or labour operation name. The faults the 60 days / 3,000 km rule names (steering or brake failure, body crack, fuel leak). Labour-operation code prefixes of the same systems.</extracomment>
        <translation>单次修理超过 5 日</translation>
    </message>
    <message>
        <source>Cumulative days in repair</source>
        <translation>累计修理天数</translation>
    </message>
    <message>
        <source>Repairs of the same fault</source>
        <translation>同一故障修理次数</translation>
    </message>
    <message>
        <source>Serious safety fault repaired again</source>
        <translation>严重安全性能故障再次修理</translation>
    </message>
    <message>
        <source>Serious safety fault in the first 60 days</source>
        <translation>三包期前60日内严重安全性能故障</translation>
    </message>
    <message>
        <source>Approaching the threshold</source>
        <translation>接近限值</translation>
    </message>
    <message>
        <source>Threshold reached</source>
        <translation>已达限值</translation>
    </message>
    <message>
        <source>Brakes</source>
        <translation>制动系统</translation>
    </message>
    <message>
        <source>Steering</source>
        <translation>转向系统</translation>
    </message>
    <message>
        <source>Airbags</source>
        <translation>安全气囊</translation>
    </message>
    <message>
        <source>Body crack</source>
        <translation>车身开裂</translation>
    </message>
    <message>
        <source>Fuel leak</source>
        <translation>燃油泄漏</translation>
    </message>
    <message>
        <source>Evidence from the shop's records to act on in time; whether a loaner, a replacement or a return is owed is decided under the statutory warranty rules, not by this list.</source>
        <translation>下列清单为本店记录中的证据，供及时处理；是否应提供备用车、更换或退货，须依三包规定判定，而非由本清单决定。</translation>
    </message>
    <message>
        <source>still in the shop</source>
        <translation>仍在店内</translation>
    </message>
    <message>
        <source>Order {number}: {days} days in repair ({start} – {end}), more than {limit} days: a loaner car or transport compensation is due.</source>
        <translation>工单 {number}：修理 {days} 日（{start} – {end}），超过 {limit} 日：应提供备用车或交通费用补偿。</translation>
    </message>
    <message>
        <source>Order {number} has been in repair for {days} days since {start}: approaching the threshold; from tomorrow a loaner car or transport compensation is due.</source>
        <translation>工单 {number} 自 {start} 起已修理 {days} 日：接近限值；自明日起应提供备用车或交通费用补偿。</translation>
    </message>
    <message>
        <source>{days} days in repair within the statutory warranty period: the threshold of {limit} days is reached. Evidence: {orders}.</source>
        <translation>三包有效期内累计修理 {days} 日：已达 {limit} 日的限值。证据：{orders}。</translation>
    </message>
    <message>
        <source>{days} days in repair within the statutory warranty period: approaching the threshold of {limit} days. Evidence: {orders}.</source>
        <translation>三包有效期内累计修理 {days} 日：接近 {limit} 日的限值。证据：{orders}。</translation>
    </message>
    <message>
        <source>{count} repairs of the same fault ({fault}): the threshold of {limit} repairs is reached. Evidence: {orders}.</source>
        <translation>同一故障（{fault}）已修理 {count} 次：已达 {limit} 次的限值。证据：{orders}。</translation>
    </message>
    <message>
        <source>{count} repairs of the same fault ({fault}): approaching the threshold of {limit} repairs. Evidence: {orders}.</source>
        <translation>同一故障（{fault}）已修理 {count} 次：接近 {limit} 次的限值。证据：{orders}。</translation>
    </message>
    <message>
        <source>Serious safety fault ({fault}) within the first {days} days / {km} km of the statutory warranty period: the customer may choose a replacement or a return. Evidence: {orders}.</source>
        <translation>三包有效期前 {days} 日或 {km} 公里内出现严重安全性能故障（{fault}）：顾客可选择换车或退货。证据：{orders}。</translation>
    </message>
    <message>
        <source>Serious safety faults ({fault}) came back after {limit} repairs ({count} repairs): the threshold is reached. Evidence: {orders}.</source>
        <translation>严重安全性能故障（{fault}）经 {limit} 次修理后再次出现（共 {count} 次修理）：已达限值。证据：{orders}。</translation>
    </message>
    <message>
        <source>Serious safety faults ({fault}) repaired {count} times: approaching the threshold; if one comes back, the customer may choose a replacement or a return. Evidence: {orders}.</source>
        <translation>严重安全性能故障（{fault}）已修理 {count} 次：接近限值；如再次出现，顾客可选择换车或退货。证据：{orders}。</translation>
    </message>
    <message>
        <source>{number} ({days} d)</source>
        <translation>{number}（{days} 日）</translation>
    </message>
    <message>
        <source>Not a household car: the statutory warranty rules do not apply.</source>
        <translation>非家用汽车：不适用三包规定。</translation>
    </message>
    <message>
        <source>The sale date is not recorded, so the statutory warranty period is unknown.</source>
        <translation>未登记销售日期，无法确定三包有效期。</translation>
    </message>
    <message>
        <source>The car was sold after this day.</source>
        <translation>该车在此日期之后售出。</translation>
    </message>
    <message>
        <source>The statutory warranty period ended on {date}.</source>
        <translation>三包有效期已于 {date} 结束。</translation>
    </message>
    <message>
        <source>The statutory warranty period ended at {km} km (odometer {odometer} km).</source>
        <translation>三包有效期已于 {km} 公里结束（行驶里程 {odometer} 公里）。</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Check-in time</source>
        <translation>接车时间</translation>
    </message>
    <message>
        <source>Ready or delivered at</source>
        <translation>完工 / 交车时间</translation>
    </message>
    <message>
        <source>Days in repair</source>
        <translation>修理天数</translation>
    </message>
    <message>
        <source>Odometer (km)</source>
        <translation>行驶里程（公里）</translation>
    </message>
    <message>
        <source>Customer's complaint</source>
        <translation>顾客描述</translation>
    </message>
    <message>
        <source>Labour operations</source>
        <translation>工时项目</translation>
    </message>
    <message>
        <source>{start} – {end} or {km} km</source>
        <translation>{start} – {end} 或 {km} 公里</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Statutory warranty period</source>
        <translation>三包有效期</translation>
    </message>
    <message>
        <source>Within the period</source>
        <translation>在有效期内</translation>
    </message>
    <message>
        <source>Repairs counted</source>
        <translation>计入的修理次数</translation>
    </message>
    <message>
        <source>Most repairs of the same fault</source>
        <translation>同一故障最多修理次数</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <source>VIN</source>
        <translation>车架号</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Sale date</source>
        <translation>销售日期</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>提醒</translation>
    </message>
</context>
<context>
    <name>Scheduling</name>
    <message>
        <source>The working hours in the settings are not written HH:MM.</source>
        <translation>设置中的工作时间格式不是 HH:MM。</translation>
    </message>
    <message>
        <source>The working day in the settings ends before it starts.</source>
        <translation>设置中的工作日结束时间早于开始时间。</translation>
    </message>
    <message>
        <source>Estimated hours</source>
        <translation>预计工时</translation>
    </message>
</context>
<context>
    <name>Search</name>
    <message>
        <source>VIN {vin}</source>
        <translation>车架号 {vin}</translation>
    </message>
    <message>
        <source>Vehicles: {n}</source>
        <translation>车辆：{n}</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <extracomment>The field job(s) whose towed car became this order (the archive shows both).</extracomment>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Repair order</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Plate, VIN, phone, name or order number (Ctrl+F)</source>
        <translation>车牌、车架号、电话、姓名或工单号（Ctrl+F）</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Nothing found for {text}.</source>
        <translation>未找到“{text}”。</translation>
    </message>
    <message>
        <source>Scanned {code}.</source>
        <translation>已扫描 {code}。</translation>
    </message>
    <message>
        <source>No vehicle or order has the scanned code {code}.</source>
        <translation>没有车辆或工单与扫描的编码 {code} 匹配。</translation>
    </message>
</context>
<context>
    <name>Services</name>
    <message>
        <source>Please sign in first.</source>
        <translation>请先登录。</translation>
    </message>
    <message>
        <source>This staff account is not active.</source>
        <translation>此员工账号已停用。</translation>
    </message>
    <message>
        <source>{name} may not do this. It needs the role: {roles}.</source>
        <translation>{name} 无权执行此操作，需要以下角色之一：{roles}。</translation>
    </message>
    <message>
        <source>The disk is full: nothing was saved. Free some space on the disk of the shop database (or ask your IT person), then save again.</source>
        <extracomment>PostgreSQL's SQLSTATEs for "another transaction got in the way, run yours again": serialization failure, deadlock, lock not available.</extracomment>
        <translation>磁盘已满：未保存任何内容。请在门店数据库所在的磁盘上腾出空间（或联系 IT 人员），然后再保存。</translation>
    </message>
    <message>
        <source>The database is busy because another station is saving. Nothing was changed; please try again in a moment.</source>
        <translation>另一台工作站正在保存，数据库繁忙。本次未做任何更改，请稍后再试。</translation>
    </message>
    <message>
        <source>{what} {ident} was not found.</source>
        <translation>未找到{what} {ident}。</translation>
    </message>
    <message>
        <source>{field} contains characters that cannot be stored.</source>
        <extracomment>SQLite's INTEGER range; a larger Python int cannot even be bound as a parameter. Characters that show nothing: zero-width and format characters, blank fillers. Bidirectional controls: they reorder what follows (a name shown backwards, a spoofed number), never typed at the desk. Surrounding characters trimmed like spaces (harmless: nobody sees them).</extracomment>
        <translation>{field}包含无法保存的字符。</translation>
    </message>
    <message>
        <source>{field} contains control characters (for example from a copied text). Please type it again.</source>
        <translation>{field} 含有控制字符（例如来自复制的文本）。请重新输入。</translation>
    </message>
    <message>
        <source>{field} has only invisible characters. Please type it again.</source>
        <translation>{field} 只有不可见字符。请重新输入。</translation>
    </message>
    <message>
        <source>{field} must be text.</source>
        <translation>{field}必须是文字。</translation>
    </message>
    <message>
        <source>{field} is required.</source>
        <translation>请填写{field}。</translation>
    </message>
    <message>
        <source>{field} is too long (at most {n} characters).</source>
        <translation>{field}过长（最多 {n} 个字符）。</translation>
    </message>
    <message>
        <source>{field} must be a whole number.</source>
        <translation>{field}必须是整数。</translation>
    </message>
    <message>
        <source>{field} must be between {lo} and {hi}.</source>
        <translation>{field}必须在 {lo} 到 {hi} 之间。</translation>
    </message>
    <message>
        <source>{field} must be a number.</source>
        <translation>{field}必须是数字。</translation>
    </message>
    <message>
        <source>{field} has at most {n} decimal places: {value}.</source>
        <translation>{field} 最多只能有 {n} 位小数：{value}。</translation>
    </message>
    <message>
        <source>{field} must be a list.</source>
        <translation>{field}必须是列表。</translation>
    </message>
    <message>
        <source>{field}: {value} is not one of the allowed values.</source>
        <extracomment>Years a date typed at the desk can have; outside them it is a typing error (and near datetime's own limits, adding a day to it would overflow).</extracomment>
        <translation>{field}：{value} 不是允许的取值。</translation>
    </message>
    <message>
        <source>The record's version is missing or not valid; please reload it.</source>
        <translation>记录的版本号缺失或无效，请重新加载。</translation>
    </message>
    <message>
        <source>{who} changed this record at {when} after you opened it. Reload it to see their change; your input is kept.</source>
        <translation>在您打开此记录后，{who} 于 {when} 修改了它。请重新加载查看其修改；您输入的内容已保留。</translation>
    </message>
    <message>
        <source>Repair order</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Order {number} is {state}; it can no longer be changed. A correction needs a manager-approved void.</source>
        <translation>工单 {number} 状态为“{state}”，不能再修改。如需更正，须经总经理审批作废。</translation>
    </message>
</context>
<context>
    <name>SettingsForm</name>
    <message>
        <source>The shop's own data and the rules shop-desk runs by. Changes apply to new work; every change is recorded in the audit log.</source>
        <translation>店铺资料及 shop-desk 的运行规则。修改对新业务生效；每次修改都记入操作日志。</translation>
    </message>
    <message>
        <source>Shop</source>
        <translation>店铺</translation>
    </message>
    <message>
        <source>Shop &amp;name</source>
        <translation>店铺名称(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Address</source>
        <translation>地址(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Phone</source>
        <translation>电话(&amp;P)</translation>
    </message>
    <message>
        <source>Logo (printed on forms)</source>
        <translation>标志（打印在单据上）</translation>
    </message>
    <message>
        <source>No logo</source>
        <translation>无标志</translation>
    </message>
    <message>
        <source>C&amp;hoose…</source>
        <translation>选择(&amp;H)…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Prices and tax</source>
        <translation>价格与税率</translation>
    </message>
    <message>
        <source>&amp;Labour rate (¥ per hour)</source>
        <translation>工时单价（元/小时）(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Tax rate</source>
        <translation>税率(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Discount limit without approval (%)</source>
        <translation>无需审批的折扣上限（%）(&amp;D)</translation>
    </message>
    <message>
        <source>Service and follow-up</source>
        <translation>保养与回访</translation>
    </message>
    <message>
        <source>Service interval (&amp;km)</source>
        <translation>保养间隔（公里）(&amp;K)</translation>
    </message>
    <message>
        <source>Service interval (&amp;months)</source>
        <translation>保养间隔（月）(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Comeback window (days)</source>
        <translation>返修判定期（天）(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Follow-up call within (days)</source>
        <translation>回访期限（天）(&amp;F)</translation>
    </message>
    <message>
        <source>Follow-up call &amp;attempts</source>
        <translation>回访尝试次数(&amp;A)</translation>
    </message>
    <message>
        <source>Three-guarantee (三包) period (days)</source>
        <translation>三包有效期（天）</translation>
    </message>
    <message>
        <source>Three-guarantee (三包) mileage (km)</source>
        <translation>三包里程（公里）</translation>
    </message>
    <message>
        <source>Working day</source>
        <translation>工作日</translation>
    </message>
    <message>
        <source>Workday &amp;starts</source>
        <translation>上班时间(&amp;S)</translation>
    </message>
    <message>
        <source>Workday &amp;ends</source>
        <translation>下班时间(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Peak hours (no big handovers)</source>
        <translation>高峰时段（不安排大修交车）(&amp;P)</translation>
    </message>
    <message>
        <source>Service &amp;bays</source>
        <translation>工位数(&amp;B)</translation>
    </message>
    <message>
        <source>Lock the screen after idle (&amp;minutes)</source>
        <translation>无操作自动锁屏（分钟）(&amp;M)</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>从不</translation>
    </message>
    <message>
        <source>&amp;Undo changes</source>
        <translation>撤销修改(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Save settings</source>
        <translation>保存设置(&amp;S)</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <source>Sign with the pen, a finger or the mouse.</source>
        <translation>可用手写笔、手指或鼠标签字。</translation>
    </message>
    <message>
        <source>Signature pad</source>
        <translation>签字板</translation>
    </message>
    <message>
        <source>Sign here</source>
        <translation>请在此签字</translation>
    </message>
    <message>
        <source>Signed on paper</source>
        <translation>纸面签字</translation>
    </message>
    <message>
        <source>The customer signed the printed task order; no on-screen signature.</source>
        <translation>顾客已在打印的任务委托书上签字，无需屏幕签字。</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>清除(&amp;L)</translation>
    </message>
    <message>
        <source>Signed on the printed task order.</source>
        <translation>已在打印的任务委托书上签字。</translation>
    </message>
    <message>
        <source>Please ask the customer to sign in the box.</source>
        <translation>请顾客在框内签字。</translation>
    </message>
    <message>
        <source>Signature captured.</source>
        <translation>签字已采集。</translation>
    </message>
</context>
<context>
    <name>Station</name>
    <message>
        <source>Tap the picture where the new damage is.</source>
        <translation>在图上点击新损伤所在的位置。</translation>
    </message>
    <message>
        <source>Car diagram</source>
        <translation>车身示意图</translation>
    </message>
    <message>
        <source>Every item on the task order is done</source>
        <translation>任务委托书上的所有项目均已完成</translation>
    </message>
    <message>
        <source>Bolts and wheel nuts tightened to torque</source>
        <translation>螺栓和车轮螺母已按规定扭矩紧固</translation>
    </message>
    <message>
        <source>Fluid levels right, no leaks</source>
        <translation>各油液液位正常，无渗漏</translation>
    </message>
    <message>
        <source>No warning lights on the dashboard</source>
        <translation>仪表盘无故障警告灯</translation>
    </message>
    <message>
        <source>Test drive done where needed; the fault is gone</source>
        <translation>必要时已路试，故障已排除</translation>
    </message>
    <message>
        <source>No tools, rags or nuts left in the car</source>
        <translation>车内无遗留工具、抹布、螺母</translation>
    </message>
    <message>
        <source>Protective set still in place</source>
        <translation>三件套仍在原位</translation>
    </message>
    <message>
        <source>Body and paint washed and dried, no marks left</source>
        <extracomment>The washer's checklist (the rulebook: a clean car, parked facing the exit), in order.</extracomment>
        <translation>车身漆面已清洗擦干，无水渍污痕</translation>
    </message>
    <message>
        <source>Cabin vacuumed, glass and dashboard wiped</source>
        <translation>车内已吸尘，玻璃和仪表台已擦净</translation>
    </message>
    <message>
        <source>Boot clean and tidy</source>
        <translation>行李箱干净整齐</translation>
    </message>
    <message>
        <source>Engine bay wiped</source>
        <translation>发动机舱已擦净</translation>
    </message>
    <message>
        <source>Parked in the finished-car area facing the exit</source>
        <translation>已停放在竣工停车区，车头朝向出口</translation>
    </message>
    <message>
        <source>1 damage mark</source>
        <extracomment>States in which a technician or team leader has something to do with a dispatched job. The technician's self-check (自检) items: code (stored) and label.</extracomment>
        <translation>1 处损伤标记</translation>
    </message>
    <message>
        <source>Waiting for parts</source>
        <translation>待料</translation>
    </message>
    <message>
        <source>Waiting for authorisation</source>
        <translation>待顾客授权</translation>
    </message>
    <message>
        <source>Break</source>
        <translation>休息</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>未开工</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已完工</translation>
    </message>
    <message>
        <source>Awaiting authorisation</source>
        <translation>待顾客授权</translation>
    </message>
    <message>
        <source>Authorised</source>
        <translation>已授权</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开工</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完工</translation>
    </message>
    <message>
        <source>Scratch</source>
        <translation>划痕</translation>
    </message>
    <message>
        <source>Dent</source>
        <translation>凹陷</translation>
    </message>
    <message>
        <source>Crack</source>
        <translation>裂纹</translation>
    </message>
    <message>
        <source>Chip</source>
        <translation>掉漆</translation>
    </message>
    <message>
        <source>Top</source>
        <translation>俯视</translation>
    </message>
    <message>
        <source>Front</source>
        <translation>前</translation>
    </message>
    <message>
        <source>Rear</source>
        <translation>后</translation>
    </message>
    <message>
        <source>Left side</source>
        <translation>左侧</translation>
    </message>
    <message>
        <source>Right side</source>
        <translation>右侧</translation>
    </message>
    <message>
        <source>Self-check</source>
        <translation>自检</translation>
    </message>
    <message>
        <source>Parts not drawn yet: {n} — request them</source>
        <translation>备品尚未领取：{n} 项 —— 请申领</translation>
    </message>
    <message>
        <source>Sign the parts issue slip</source>
        <translation>在出库单上签字</translation>
    </message>
    <message>
        <source>Work not done: send the car back to the workshop</source>
        <translation>维修未完成：将车辆退回车间</translation>
    </message>
    <message>
        <source>Ready for delivery: record the parking spot</source>
        <translation>待交车：请登记竣工停车位</translation>
    </message>
    <message>
        <source>Team-leader check</source>
        <translation>班组长检验</translation>
    </message>
    <message>
        <source>Final inspection</source>
        <translation>总检</translation>
    </message>
    <message>
        <source>In person</source>
        <translation>当面</translation>
    </message>
    <message>
        <source>By phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>签字</translation>
    </message>
    <message>
        <source>Insurer (supplementary assessment)</source>
        <extracomment>who decides: the customer (增项) or the insurer (a supplementary assessment 追加定损)</extracomment>
        <translation>保险公司（追加定损）</translation>
    </message>
    <message>
        <source>Issue parts: {n} requested</source>
        <extracomment>only a supplementary assessment (追加定损) waits, for the insurer, not the customer</extracomment>
        <translation>发料：已申请 {n} 项</translation>
    </message>
    <message>
        <source>Waiting for the insurer's approval (supplementary assessment)</source>
        <translation>等待保险公司核准（追加定损）</translation>
    </message>
    <message>
        <source>Work: {n} open</source>
        <translation>作业：{n} 项未完工</translation>
    </message>
    <message>
        <source>To do</source>
        <translation>待办</translation>
    </message>
    <message>
        <source>Promised</source>
        <translation>预计完工</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>派工优先度</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>普通</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>班组</translation>
    </message>
    <message>
        <source>Accept the car…</source>
        <translation>验收车辆…</translation>
    </message>
    <message>
        <source>Self-check…</source>
        <translation>自检…</translation>
    </message>
    <message>
        <source>Team-leader check…</source>
        <translation>班组长检验…</translation>
    </message>
    <message>
        <source>Final inspection…</source>
        <translation>总检…</translation>
    </message>
    <message>
        <source>Washed and parked…</source>
        <translation>洗车完成并停放…</translation>
    </message>
    <message>
        <source>Additional work…</source>
        <translation>增项…</translation>
    </message>
    <message>
        <source>Report a delay…</source>
        <translation>报告进度延误…</translation>
    </message>
    <message>
        <source>Parking spot…</source>
        <translation>停车位…</translation>
    </message>
    <message>
        <source>Send back to the workshop…</source>
        <translation>退回车间…</translation>
    </message>
    <message>
        <source>Labour line</source>
        <translation>工时项目</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>工时</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Clocked</source>
        <translation>实际工时</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>维修技师</translation>
    </message>
    <message>
        <source>additional work</source>
        <translation>增项</translation>
    </message>
    <message>
        <source>clock edited</source>
        <translation>工时记录已更正</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Reason / correction</source>
        <translation>原因 / 更正</translation>
    </message>
    <message>
        <source>New supplier</source>
        <translation>新供应商</translation>
    </message>
    <message>
        <source>Contact:</source>
        <translation>联系人：</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>电话：</translation>
    </message>
    <message>
        <source>Order what {number} lacks</source>
        <translation>为工单 {number} 缺件采购</translation>
    </message>
    <message>
        <source>Order stock below its reorder level</source>
        <translation>为低于再订货点的库存采购</translation>
    </message>
    <message>
        <source>Raise the supplier order</source>
        <translation>开采购单</translation>
    </message>
    <message>
        <source>{part}: {short} short, {coming} on order</source>
        <translation>{part}：缺 {short}，在途 {coming}</translation>
    </message>
    <message>
        <source>{part}: {free} free, reorder level {level}, order {suggested}</source>
        <translation>{part}：可用 {free}，再订货点 {level}，建议采购 {suggested}</translation>
    </message>
    <message>
        <source>Nothing to order.</source>
        <translation>没有需要采购的配件。</translation>
    </message>
    <message>
        <source>Parts:</source>
        <translation>配件：</translation>
    </message>
    <message>
        <source>Add the supplier first (New supplier…).</source>
        <translation>请先添加供应商（新供应商…）。</translation>
    </message>
    <message>
        <source>Receive supplier order {number}</source>
        <translation>采购单 {number} 到货</translation>
    </message>
    <message>
        <source>Ordered</source>
        <translation>采购数量</translation>
    </message>
    <message>
        <source>Received so far</source>
        <translation>已到数量</translation>
    </message>
    <message>
        <source>Delivery note number</source>
        <translation>送货单号</translation>
    </message>
    <message>
        <source>Cancel supplier order {number}</source>
        <translation>取消采购单 {number}</translation>
    </message>
    <message>
        <source>Cancel the order</source>
        <translation>取消采购单</translation>
    </message>
    <message>
        <source>Reorder level</source>
        <translation>再订货点</translation>
    </message>
    <message>
        <source>Reorder level:</source>
        <translation>再订货点：</translation>
    </message>
    <message>
        <source>Choose a part.</source>
        <translation>请选择配件。</translation>
    </message>
    <message>
        <source>Supplier orders</source>
        <translation>采购单</translation>
    </message>
    <message>
        <source>Open orders only</source>
        <translation>只显示未完成的采购单</translation>
    </message>
    <message>
        <source>Order no.</source>
        <translation>采购单号</translation>
    </message>
    <message>
        <source>Parts (received / ordered)</source>
        <translation>配件（到货 / 采购）</translation>
    </message>
    <message>
        <source>For order</source>
        <translation>对应工单</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>开单时间</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>发出时间</translation>
    </message>
    <message>
        <source>Last received</source>
        <translation>最近到货</translation>
    </message>
    <message>
        <source>Order what this job lacks…</source>
        <translation>为本工单缺件采购…</translation>
    </message>
    <message>
        <source>Order stock below reorder level…</source>
        <translation>按再订货点补货…</translation>
    </message>
    <message>
        <source>Sent to the supplier</source>
        <translation>已发给供应商</translation>
    </message>
    <message>
        <source>Receive…</source>
        <translation>到货入库…</translation>
    </message>
    <message>
        <source>Cancel order…</source>
        <translation>取消采购单…</translation>
    </message>
    <message>
        <source>Print supplier order</source>
        <translation>打印采购单</translation>
    </message>
    <message>
        <source>New supplier…</source>
        <translation>新供应商…</translation>
    </message>
    <message>
        <source>Reorder level…</source>
        <translation>再订货点…</translation>
    </message>
    <message>
        <source>Stock below its reorder level</source>
        <translation>低于再订货点的库存</translation>
    </message>
    <message>
        <source>Part no.</source>
        <translation>备品编号</translation>
    </message>
    <message>
        <source>On order</source>
        <translation>在途数量</translation>
    </message>
    <message>
        <source>Suggested</source>
        <translation>建议采购</translation>
    </message>
    <message>
        <source>Reorder level of {part} saved.</source>
        <translation>{part} 的再订货点已保存。</translation>
    </message>
    <message>
        <source>Supplier {name} added.</source>
        <translation>供应商 {name} 已添加。</translation>
    </message>
    <message>
        <source>Order what {number} lacks…</source>
        <translation>为工单 {number} 缺件采购…</translation>
    </message>
    <message>
        <source>Supplier order {number} raised; mark it sent once it went to {supplier}.</source>
        <translation>采购单 {number} 已开出；发给 {supplier} 后请标记为已发出。</translation>
    </message>
    <message>
        <source>Supplier order {number} sent.</source>
        <translation>采购单 {number} 已发出。</translation>
    </message>
    <message>
        <source>Supplier order {number} cancelled.</source>
        <translation>采购单 {number} 已取消。</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>计划数量</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>已申请</translation>
    </message>
    <message>
        <source>Reserved</source>
        <translation>已预留</translation>
    </message>
    <message>
        <source>Slip no.</source>
        <translation>出库单号</translation>
    </message>
    <message>
        <source>Parts</source>
        <translation>配件</translation>
    </message>
    <message>
        <source>Handed to</source>
        <translation>领料人</translation>
    </message>
    <message>
        <source>Return parts to stock for {number}</source>
        <translation>工单 {number} 退料</translation>
    </message>
    <message>
        <source>Take back and print the slip</source>
        <translation>退料并打印退料单</translation>
    </message>
    <message>
        <source>Tick the parts that come back unused. The order's line keeps only what was used, so the customer pays for that.</source>
        <translation>勾选未使用而退回的配件。工单只保留实际用量，客户只为此付费。</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>退回</translation>
    </message>
    <message>
        <source>Quantity back</source>
        <translation>退回数量</translation>
    </message>
    <message>
        <source>Handed back by:</source>
        <translation>退料人：</translation>
    </message>
    <message>
        <source>e.g. drew one too many</source>
        <translation>例如：多领了一个</translation>
    </message>
    <message>
        <source>Choose the technician who hands the parts back.</source>
        <translation>请选择退料的维修技师。</translation>
    </message>
    <message>
        <source>Return slip no.</source>
        <translation>退料单号</translation>
    </message>
    <message>
        <source>Parts back</source>
        <translation>退回配件</translation>
    </message>
    <message>
        <source>Handed back by</source>
        <translation>退料人</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>退料时间</translation>
    </message>
    <message>
        <source>Signed</source>
        <extracomment>Bigger targets for a workshop tablet or a PC used with gloves on. Rows measured when columns fit their contents (Qt measures up to 1,000 by default).</extracomment>
        <translation>签字时间</translation>
    </message>
    <message>
        <source>not signed</source>
        <translation>未签字</translation>
    </message>
    <message>
        <source>Return parts to stock…</source>
        <translation>退料…</translation>
    </message>
    <message>
        <source>Sign the return slip</source>
        <translation>退料单签字</translation>
    </message>
    <message>
        <source>Print return slip…</source>
        <translation>打印退料单…</translation>
    </message>
    <message>
        <source>Return slip {slip} made: the parts are back in stock and the order charges less; {name} signs it on the station.</source>
        <translation>退料单 {slip} 已开出：配件已退回库存，工单相应减少收费；请 {name} 在工位上签字。</translation>
    </message>
    <message>
        <source>Choose a return slip first.</source>
        <translation>请先选择一张退料单。</translation>
    </message>
    <message>
        <source>Sign return slip {number}</source>
        <translation>签署退料单 {number}</translation>
    </message>
    <message>
        <source>I handed these parts back — signed {name}:</source>
        <translation>以上配件已退回 — {name} 签字：</translation>
    </message>
    <message>
        <source>Return slip {number} signed.</source>
        <translation>退料单 {number} 已签字。</translation>
    </message>
    <message>
        <source>Return parts to stock</source>
        <translation>退料</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Repair order:</source>
        <translation>工单：</translation>
    </message>
    <message>
        <source>No order in the workshop has parts issued.</source>
        <translation>车间里没有已发料的工单。</translation>
    </message>
    <message>
        <source>Customer's decision</source>
        <translation>顾客决定</translation>
    </message>
    <message>
        <source>{method}, {who}, {time}</source>
        <translation>{method}，{who}，{time}</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>决定</translation>
    </message>
    <message>
        <source>{n} supplementary assessments wait for the insurer's approval; the service advisor records the insurer's answer. Do not start that work before.</source>
        <translation>{n} 项追加定损等待保险公司核准，由服务顾问记录保险公司的答复。在此之前请勿开始这些作业。</translation>
    </message>
    <message>
        <source>Round</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检验</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Reason / advice</source>
        <translation>原因 / 建议</translation>
    </message>
    <message>
        <source>Jobs: {n}</source>
        <extracomment>Job columns shown only when the list is wide (the order panel shows them anyway).</extracomment>
        <translation>作业：{n}</translation>
    </message>
    <message>
        <source>Jobs: {shown} of {n}</source>
        <translation>作业：{shown} / {n}</translation>
    </message>
    <message>
        <source>Choose a job on the left.</source>
        <translation>请在左侧选择一个作业。</translation>
    </message>
    <message>
        <source>No jobs for you right now. New jobs appear here.</source>
        <translation>您目前没有作业。新的派工会显示在这里。</translation>
    </message>
    <message>
        <source>Priority: {p}</source>
        <translation>派工优先度：{p}</translation>
    </message>
    <message>
        <source>Promised: {when}</source>
        <translation>预计完工：{when}</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <source>Customer waits in the lounge</source>
        <translation>顾客在休息室等候</translation>
    </message>
    <message>
        <source>Rework: {n}</source>
        <translation>返工：{n}</translation>
    </message>
    <message>
        <source>Wash: yes</source>
        <translation>洗车：是</translation>
    </message>
    <message>
        <source>Wash: no</source>
        <translation>洗车：否</translation>
    </message>
    <message>
        <source>Parked at {spot}</source>
        <translation>停放于 {spot}</translation>
    </message>
    <message>
        <source>Customer's complaint: {text}</source>
        <translation>故障描述：{text}</translation>
    </message>
    <message>
        <source>Accepted by {name} at {time}.</source>
        <translation>{name} 于 {time} 验收。</translation>
    </message>
    <message>
        <source>Parts issue slips waiting for the signature: {slips}</source>
        <translation>等待签字的出库单：{slips}</translation>
    </message>
    <message>
        <source>(red: at reception, blue: found in the workshop)</source>
        <translation>（红色：接车时登记；蓝色：车间发现）</translation>
    </message>
    <message>
        <source>{n} requests wait for the customer's authorisation; the service advisor records it. Do not start that work before.</source>
        <translation>{n} 项增项等待顾客授权，由服务顾问记录。授权前不得开工。</translation>
    </message>
    <message>
        <source>Every request is decided; declined lines stay on record.</source>
        <translation>所有增项都已决定；顾客拒绝的项目保留在记录中。</translation>
    </message>
    <message>
        <source>No additional work proposed. Found something? Use Additional work…</source>
        <translation>尚未提出增项。发现问题？请使用“增项…”。</translation>
    </message>
    <message>
        <source>Round {round}. Rework so far: {n}.</source>
        <translation>第 {round} 轮。已返工 {n} 次。</translation>
    </message>
    <message>
        <source>Self-check by the technician → team-leader check → final inspection by the QC inspector.</source>
        <translation>维修技师自检 → 班组长检验 → 质检员总检。</translation>
    </message>
    <message>
        <source>{n} entries of this line were corrected by a manager.</source>
        <translation>此项目有 {n} 条记录经总经理更正。</translation>
    </message>
    <message>
        <source>Running: {line} {time}</source>
        <translation>进行中：{line} {time}</translation>
    </message>
    <message>
        <source>Paused: {lines}</source>
        <translation>已暂停：{lines}</translation>
    </message>
    <message>
        <source>No work running on this order.</source>
        <translation>此工单当前无进行中的作业。</translation>
    </message>
    <message>
        <source>Choose a job first.</source>
        <translation>请先选择一个作业。</translation>
    </message>
    <message>
        <source>Choose a labour line first.</source>
        <translation>请先选择一个工时项目。</translation>
    </message>
    <message>
        <source>Work started: {line}.</source>
        <translation>已开工：{line}。</translation>
    </message>
    <message>
        <source>Paused: {line}.</source>
        <translation>已暂停：{line}。</translation>
    </message>
    <message>
        <source>Work resumed: {line}.</source>
        <translation>已继续：{line}。</translation>
    </message>
    <message>
        <source>Finished: {line}.</source>
        <translation>已完工：{line}。</translation>
    </message>
    <message>
        <source>Clock time corrected; the entry is marked as edited.</source>
        <translation>工时记录时间已更正，该记录标记为“已更正”。</translation>
    </message>
    <message>
        <source>Car {number} accepted.</source>
        <translation>车辆 {number} 已验收。</translation>
    </message>
    <message>
        <source>{n} new damage marks recorded; the service advisor is told.</source>
        <translation>已记录 {n} 处新损伤，并已通知服务顾问。</translation>
    </message>
    <message>
        <source>Delay reported; the service advisor sees it now. New promised time {when}.</source>
        <translation>进度延误已报告，服务顾问会立即看到。新的预计完工时间 {when}。</translation>
    </message>
    <message>
        <source>Supplementary assessment sent to the insurer; order {number} waits for the insurer's approval.</source>
        <translation>追加定损已报保险公司；工单 {number} 等待保险公司核准。</translation>
    </message>
    <message>
        <source>Additional work sent for the customer's authorisation; order {number} waits for it.</source>
        <translation>增项已提交顾客授权；工单 {number} 等待授权。</translation>
    </message>
    <message>
        <source>Self-check recorded: {result}.</source>
        <translation>自检已记录：{result}。</translation>
    </message>
    <message>
        <source>Team-leader check signed; the car goes to the final inspection.</source>
        <translation>班组长检验已签字，车辆进入总检。</translation>
    </message>
    <message>
        <source>Team-leader check not passed; the technician works on it again.</source>
        <translation>班组长检验不合格，退回维修技师继续作业。</translation>
    </message>
    <message>
        <source>Final inspection failed; order {number} goes back for rework ({n}).</source>
        <translation>总检不合格；工单 {number} 退回返工（第 {n} 次）。</translation>
    </message>
    <message>
        <source>Final inspection passed; the car goes to the wash.</source>
        <translation>总检合格，车辆去洗车。</translation>
    </message>
    <message>
        <source>Final inspection passed; the car is ready for delivery.</source>
        <translation>总检合格，车辆待交车。</translation>
    </message>
    <message>
        <source>Wash of {number} started; the advisor and the supervisor are told.</source>
        <translation>工单 {number} 开始洗车，已通知服务顾问和车间主管。</translation>
    </message>
    <message>
        <source>{number} is washed and ready for delivery, parked at {spot}.</source>
        <translation>{number} 已洗车，待交车，停放于 {spot}。</translation>
    </message>
    <message>
        <source>{number} is parked at {spot}.</source>
        <translation>{number} 停放于 {spot}。</translation>
    </message>
    <message>
        <source>{number} goes back to the workshop for rework; the technician sees it.</source>
        <translation>{number} 已退回车间返工；维修技师可以看到。</translation>
    </message>
    <message>
        <source>Choose a part line first.</source>
        <translation>请先选择一个备品项目。</translation>
    </message>
    <message>
        <source>{part}: {reserved} reserved, {short} short — the parts counter orders it.</source>
        <translation>{part}：已预留 {reserved}，缺 {short}，由配件部订货。</translation>
    </message>
    <message>
        <source>{part} requested and reserved; collect it at the parts counter.</source>
        <translation>{part} 已申请并预留，请到配件柜台领料。</translation>
    </message>
    <message>
        <source>Parts issue slip {slip} made; {name} signs it on the station.</source>
        <translation>出库单 {slip} 已开出，请 {name} 在工位上签字。</translation>
    </message>
    <message>
        <source>Parts reserved for {number}; the work can go on.</source>
        <translation>已为工单 {number} 预留配件，可以继续作业。</translation>
    </message>
    <message>
        <source>Choose a parts issue slip first.</source>
        <translation>请先选择一张出库单。</translation>
    </message>
    <message>
        <source>Parts issue slip {number} signed.</source>
        <translation>出库单 {number} 已签字。</translation>
    </message>
    <message>
        <source>My jobs</source>
        <translation>我的作业</translation>
    </message>
    <message>
        <source>Waiting for the customer's authorisation</source>
        <translation>等待顾客授权</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>重新载入</translation>
    </message>
    <message>
        <source>Reloaded order {number}; your input is kept. Check and save again.</source>
        <translation>已重新载入工单 {number}，您的输入已保留。请检查后再次保存。</translation>
    </message>
    <message>
        <source>Accept the car {number}</source>
        <translation>验收车辆 {number}</translation>
    </message>
    <message>
        <source>Accept the car</source>
        <translation>验收车辆</translation>
    </message>
    <message>
        <source>Walk round the car with the check-in sheet. Damage already recorded is red; tap the picture to add damage you find now (blue) — the service advisor is told.</source>
        <translation>对照接车登记表环车检查。已登记的损伤为红色；点击图片添加现在发现的新损伤（蓝色），系统会通知服务顾问。</translation>
    </message>
    <message>
        <source>Check-in sheet:</source>
        <translation>接车登记表：</translation>
    </message>
    <message>
        <source>Kind of the next mark:</source>
        <translation>下一处标记类型：</translation>
    </message>
    <message>
        <source>e.g. rear bumper, 5 cm</source>
        <translation>例如：后保险杠，5 厘米</translation>
    </message>
    <message>
        <source>Note for the next mark:</source>
        <translation>下一处标记备注：</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>View</source>
        <translation>视图</translation>
    </message>
    <message>
        <source>Damage</source>
        <translation>损伤</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>记录于</translation>
    </message>
    <message>
        <source>New, now</source>
        <translation>新增（本次）</translation>
    </message>
    <message>
        <source>Workshop</source>
        <translation>车间</translation>
    </message>
    <message>
        <source>At reception</source>
        <translation>接车时</translation>
    </message>
    <message>
        <source>Remove the last new mark</source>
        <translation>删除最后一处新标记</translation>
    </message>
    <message>
        <source>Fault confirmed? Test drive? Anything to tell the advisor</source>
        <translation>故障是否确认？是否路试？需告知服务顾问的事项</translation>
    </message>
    <message>
        <source>The customer's answer about {number}</source>
        <translation>顾客对 {number} 的答复</translation>
    </message>
    <message>
        <source>Record the answer</source>
        <translation>记录答复</translation>
    </message>
    <message>
        <source>New promised time:</source>
        <translation>新的承诺时间：</translation>
    </message>
    <message>
        <source>The customer:</source>
        <translation>顾客：</translation>
    </message>
    <message>
        <source>e.g. will collect tomorrow morning</source>
        <translation>例如：明早来取车</translation>
    </message>
    <message>
        <source>Notes:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>有</translation>
    </message>
    <message>
        <source>no</source>
        <translation>无</translation>
    </message>
    <message>
        <source>fuel {n}%</source>
        <translation>油量 {n}%</translation>
    </message>
    <message>
        <source>{km} km</source>
        <translation>{km} 公里</translation>
    </message>
    <message>
        <source>spare wheel: {v}</source>
        <translation>备胎：{v}</translation>
    </message>
    <message>
        <source>tool kit: {v}</source>
        <translation>随车工具：{v}</translation>
    </message>
    <message>
        <source>valuables: {text}</source>
        <translation>车内贵重物品：{text}</translation>
    </message>
    <message>
        <source>{n} damage marks</source>
        <translation>{n} 处损伤标记</translation>
    </message>
    <message>
        <source>Pause work</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Pause {line}. Why?</source>
        <translation>暂停“{line}”。原因？</translation>
    </message>
    <message>
        <source>Correct a clock time</source>
        <translation>更正工时记录时间</translation>
    </message>
    <message>
        <source>Save the correction</source>
        <translation>保存更正</translation>
    </message>
    <message>
        <source>{kind} on {line} by {name}, recorded {time}.</source>
        <translation>{name} 在“{line}”上的{kind}记录，时间 {time}。</translation>
    </message>
    <message>
        <source>Correct time:</source>
        <translation>正确时间：</translation>
    </message>
    <message>
        <source>e.g. forgot to clock off</source>
        <translation>例如：忘记打卡完工</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Report a delay on {number}</source>
        <translation>报告工单 {number} 进度延误</translation>
    </message>
    <message>
        <source>Report the delay</source>
        <translation>报告延误</translation>
    </message>
    <message>
        <source>Promised completion now: {when}.</source>
        <translation>当前预计完工时间：{when}。</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设定</translation>
    </message>
    <message>
        <source>New promised completion:</source>
        <translation>新的预计完工时间：</translation>
    </message>
    <message>
        <source>Parts are late</source>
        <translation>配件未到</translation>
    </message>
    <message>
        <source>Additional work found</source>
        <translation>发现增项</translation>
    </message>
    <message>
        <source>Diagnosis takes longer than planned</source>
        <translation>故障诊断时间超出预期</translation>
    </message>
    <message>
        <source>Rework after the final inspection</source>
        <translation>总检不合格返工</translation>
    </message>
    <message>
        <source>Reason for the delay</source>
        <translation>延误原因</translation>
    </message>
    <message>
        <source>Send {number} back to the workshop</source>
        <translation>将 {number} 退回车间</translation>
    </message>
    <message>
        <source>Send back for rework</source>
        <translation>退回返工</translation>
    </message>
    <message>
        <source>Not done yet: {lines}</source>
        <translation>尚未完成：{lines}</translation>
    </message>
    <message>
        <source>The car goes back to its technician; it passes the self-check, the team-leader check and the final inspection again.</source>
        <translation>车辆退回原维修技师；需重新通过自检、班组长检验和总检。</translation>
    </message>
    <message>
        <source>Why the car goes back</source>
        <translation>退回车间的原因</translation>
    </message>
    <message>
        <source>Propose additional work on {number}</source>
        <translation>为工单 {number} 提出增项</translation>
    </message>
    <message>
        <source>Send for authorisation</source>
        <translation>提交顾客授权</translation>
    </message>
    <message>
        <source>Additional work is done only after the customer has agreed: the order waits for the customer's authorisation, which the service advisor records.</source>
        <translation>增项须顾客同意并授权后才能施工：工单将等待顾客授权，由服务顾问记录。</translation>
    </message>
    <message>
        <source>Search labour operations and parts (code or name)…</source>
        <translation>搜索工时项目和备品（代码或名称）…</translation>
    </message>
    <message>
        <source>Add as free labour line</source>
        <translation>作为自定义工时项目添加</translation>
    </message>
    <message>
        <source>Catalogue:</source>
        <translation>目录：</translation>
    </message>
    <message>
        <source>Tap a result to add it; change the hours or quantity in the table below.</source>
        <translation>点击搜索结果即可添加；在下表中修改工时或数量。</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Hours / quantity</source>
        <translation>工时 / 数量</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Remove the selected line</source>
        <translation>删除所选项目</translation>
    </message>
    <message>
        <source>What was found, and why the work is needed</source>
        <translation>发现了什么问题，为什么需要这项作业</translation>
    </message>
    <message>
        <source>Hidden accident damage: a supplementary assessment the insurer approves, not the customer</source>
        <translation>事故隐损：追加定损，由保险公司审批，而不是顾客</translation>
    </message>
    <message>
        <source>Discard the draft</source>
        <translation>放弃草稿</translation>
    </message>
    <message>
        <source>Labour · {code} {name} · {hours} h</source>
        <translation>工时 · {code} {name} · {hours} 小时</translation>
    </message>
    <message>
        <source>Part · {code} {name} · {price} · {free} in stock</source>
        <translation>备品 · {code} {name} · {price} · 库存可用 {free}</translation>
    </message>
    <message>
        <source>Type the description of the free labour line first.</source>
        <translation>请先输入自定义工时项目的说明。</translation>
    </message>
    <message>
        <source>Labour</source>
        <translation>工时</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>配件</translation>
    </message>
    <message>
        <source>Lines: {n} · estimated {amount}</source>
        <translation>项目数：{n} · 估算 {amount}</translation>
    </message>
    <message>
        <source>Additional work on {number}</source>
        <translation>工单 {number} 的增项</translation>
    </message>
    <message>
        <source>Restored the unsaved proposal from {time}. Remove lines you do not want.</source>
        <translation>已恢复 {time} 未保存的增项草稿。请删除不需要的项目。</translation>
    </message>
    <message>
        <source>Self-check of {number}</source>
        <translation>工单 {number} 自检</translation>
    </message>
    <message>
        <source>Self-check passed</source>
        <translation>自检合格</translation>
    </message>
    <message>
        <source>Not passed</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>What is wrong (needed when not passed)</source>
        <translation>存在什么问题（不合格时必填）</translation>
    </message>
    <message>
        <source>Team-leader check of {number}</source>
        <translation>工单 {number} 班组长检验</translation>
    </message>
    <message>
        <source>Passed — sign as {name}</source>
        <translation>合格 — 以 {name} 签字</translation>
    </message>
    <message>
        <source>Not passed: back to the technician</source>
        <translation>不合格：退回维修技师</translation>
    </message>
    <message>
        <source>No self-check recorded in this round yet.</source>
        <translation>本轮尚无自检记录。</translation>
    </message>
    <message>
        <source>Self-check by {name} at {time}: {result}.</source>
        <translation>{name} 于 {time} 自检：{result}。</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>not passed</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>Check your own work before the team leader checks it. "All checked" ticks every point; then untick what was not OK.</source>
        <translation>在班组长检验前，先检查自己的作业。“全部已检查”勾选所有项目；再取消勾选不合格的项目。</translation>
    </message>
    <message>
        <source>All checked</source>
        <translation>全部已检查</translation>
    </message>
    <message>
        <source>Not OK: {points}. Say what is wrong in the notes, then Not passed.</source>
        <translation>不合格项目：{points}。请在备注中写明问题，然后选择“不合格”。</translation>
    </message>
    <message>
        <source>Repair advice printed on the task order (for the customer)</source>
        <translation>打印在任务委托书上的维修建议（给顾客）</translation>
    </message>
    <message>
        <source>Repair advice:</source>
        <translation>维修建议：</translation>
    </message>
    <message>
        <source>Notes; what is wrong when not passed</source>
        <translation>备注；不合格时写明问题</translation>
    </message>
    <message>
        <source>Final inspection of {number}</source>
        <translation>工单 {number} 总检</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>Failed: rework</source>
        <translation>不合格：返工</translation>
    </message>
    <message>
        <source>After a pass the car goes to the wash (the customer accepted it).</source>
        <translation>合格后车辆去洗车（顾客已同意洗车）。</translation>
    </message>
    <message>
        <source>After a pass the car is ready for delivery (no wash).</source>
        <translation>合格后车辆待交车（不洗车）。</translation>
    </message>
    <message>
        <source>Rework so far: {n}.</source>
        <translation>已返工 {n} 次。</translation>
    </message>
    <message>
        <source>Why it failed (the technician needs it)</source>
        <translation>不合格原因（维修技师需要知道）</translation>
    </message>
    <message>
        <source>Advice for the customer (optional)</source>
        <translation>给顾客的建议（可选）</translation>
    </message>
    <message>
        <source>Advice:</source>
        <translation>建议：</translation>
    </message>
    <message>
        <source>Finish the wash of {number}</source>
        <translation>完成工单 {number} 的洗车</translation>
    </message>
    <message>
        <source>Parking spot of {number}</source>
        <translation>工单 {number} 的停车位</translation>
    </message>
    <message>
        <source>Park in the finished-car area facing the exit; the service advisor is told where.</source>
        <translation>停放在竣工停车区，车头朝向出口；系统会通知服务顾问停车位置。</translation>
    </message>
    <message>
        <source>e.g. P07</source>
        <translation>例如：P07</translation>
    </message>
    <message>
        <source>Parking spot:</source>
        <translation>竣工停车位：</translation>
    </message>
    <message>
        <source>Request parts</source>
        <translation>申请领料</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>申请</translation>
    </message>
    <message>
        <source>{part} ({code}): {planned} on the task order, {requested} requested, {free} free in stock at {bin}.</source>
        <translation>{part}（{code}）：任务委托书数量 {planned}，已申请 {requested}，库位 {bin} 可用库存 {free}。</translation>
    </message>
    <message>
        <source>Quantity:</source>
        <translation>数量：</translation>
    </message>
    <message>
        <source>If stock is short, stop the job until the parts arrive</source>
        <translation>库存不足时，暂停作业直至配件到货</translation>
    </message>
    <message>
        <source>Issue parts for {number}</source>
        <translation>为工单 {number} 发料</translation>
    </message>
    <message>
        <source>Issue and print the slip</source>
        <translation>发料并打印出库单</translation>
    </message>
    <message>
        <source>Tick the lines handed out now. Requested quantities come first; stock reserved for other orders cannot be taken.</source>
        <translation>勾选本次发出的项目。优先发放已申请的数量；已为其他工单预留的库存不能动用。</translation>
    </message>
    <message>
        <source>Issue</source>
        <translation>发料</translation>
    </message>
    <message>
        <source>Bin</source>
        <translation>库位</translation>
    </message>
    <message>
        <source>Requested / planned</source>
        <translation>已申请 / 计划</translation>
    </message>
    <message>
        <source>Free in stock</source>
        <translation>可用库存</translation>
    </message>
    <message>
        <source>Quantity now</source>
        <translation>本次数量</translation>
    </message>
    <message>
        <source>Handed to:</source>
        <translation>领料人：</translation>
    </message>
    <message>
        <source>Choose the technician who receives the parts.</source>
        <translation>请选择领料的维修技师。</translation>
    </message>
    <message>
        <source>Sign parts issue slip {number}</source>
        <translation>签署出库单 {number}</translation>
    </message>
    <message>
        <source>{number} · issued {time} by {clerk} to {name}:
{items}</source>
        <translation>{number} · {time} 由 {clerk} 发给 {name}：
{items}</translation>
    </message>
    <message>
        <source>I received these parts — signed {name}:</source>
        <translation>以上配件已领取 — {name} 签字：</translation>
    </message>
    <message>
        <source>Sign the slip</source>
        <translation>签字确认</translation>
    </message>
    <message>
        <source>Sign in the box first.</source>
        <translation>请先在框内签字。</translation>
    </message>
    <message>
        <source>Goods received</source>
        <translation>配件入库</translation>
    </message>
    <message>
        <source>Book into stock</source>
        <translation>入库</translation>
    </message>
    <message>
        <source>Part:</source>
        <translation>备品：</translation>
    </message>
    <message>
        <source>Quantity received:</source>
        <translation>到货数量：</translation>
    </message>
    <message>
        <source>Delivery note number, supplier</source>
        <translation>送货单号、供应商</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>Choose the part that came in.</source>
        <translation>请选择到货的备品。</translation>
    </message>
    <message>
        <source>Rework, then self-check</source>
        <translation>返工后自检</translation>
    </message>
    <message>
        <source>Waiting for the final inspection</source>
        <translation>等待总检</translation>
    </message>
    <message>
        <source>Washing: finish and park</source>
        <translation>洗车中：完成后停放</translation>
    </message>
    <message>
        <source>Start the wash</source>
        <translation>开始洗车</translation>
    </message>
    <message>
        <source>Ready for delivery, parked at {spot}</source>
        <translation>待交车，停放于 {spot}</translation>
    </message>
    <message>
        <source>Awaiting dispatch</source>
        <translation>待派工</translation>
    </message>
    <message>
        <source>Edited by {name} (was {time}): {reason}</source>
        <translation>{name} 已更正（原为 {time}）：{reason}</translation>
    </message>
    <message>
        <source>Not a catalogue part</source>
        <translation>非目录备品</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>开具</translation>
    </message>
    <message>
        <source>Requested, reserved</source>
        <translation>已申请，已预留</translation>
    </message>
    <message>
        <source>Requested, short</source>
        <translation>已申请，缺货</translation>
    </message>
    <message>
        <source>Not requested</source>
        <translation>未申请</translation>
    </message>
    <message>
        <source>Customer (additional work)</source>
        <translation>客户（增项）</translation>
    </message>
    <message>
        <source>Waiting for the insurer</source>
        <translation>等待保险公司审批</translation>
    </message>
    <message>
        <source>Decided: {yes} authorised, {no} declined</source>
        <translation>已决定：授权 {yes} 项，拒绝 {no} 项</translation>
    </message>
    <message>
        <source>{hours} h</source>
        <translation>{hours} 工时</translation>
    </message>
    <message>
        <source>Advice: {text}</source>
        <translation>建议：{text}</translation>
    </message>
    <message>
        <source>Delay</source>
        <translation>进度延误</translation>
    </message>
    <message>
        <source>New damage</source>
        <translation>新发现损伤</translation>
    </message>
    <message>
        <source>Additional work</source>
        <translation>增项</translation>
    </message>
    <message>
        <source>Wash started</source>
        <translation>洗车开始</translation>
    </message>
    <message>
        <source>Washed and parked</source>
        <translation>已洗车并停放</translation>
    </message>
    <message>
        <source>Clear</source>
        <extracomment>the advisor's last choice, offered again next time (most customers answer by phone)</extracomment>
        <translation>清除</translation>
    </message>
    <message>
        <source>In &amp;person</source>
        <translation>当面(&amp;P)</translation>
    </message>
    <message>
        <source>By p&amp;hone</source>
        <translation>电话(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Signature on screen</source>
        <translation>屏幕签字(&amp;S)</translation>
    </message>
    <message>
        <source>Name of the person who decided</source>
        <translation>作出决定的人的姓名</translation>
    </message>
    <message>
        <source>Order</source>
        <extracomment>Open the first waiting request by itself; off once a decision is recorded, so the form never slips to another customer's request unasked (the advisor picks it). What the last recording saved, in words (the page shows it too). a supplementary assessment (追加定损): the insurer's approved amount per line
----------
Roles that see the station (a manager for clock corrections and a look at the floor).</extracomment>
        <translation>工单</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Proposed</source>
        <translation>提出时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>How / who</source>
        <translation>方式 / 授权人</translation>
    </message>
    <message>
        <source>At</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation>记录人</translation>
    </message>
    <message>
        <source>Only a service advisor records the customer's decision.</source>
        <translation>只有服务顾问可以记录顾客的决定。</translation>
    </message>
    <message>
        <source>Choose a request in the list above.</source>
        <translation>请在上面的列表中选择一个申请。</translation>
    </message>
    <message>
        <source>No additional work is waiting for a decision.</source>
        <translation>没有等待顾客决定的增项。</translation>
    </message>
    <message>
        <source>Phone {phone}</source>
        <translation>电话 {phone}</translation>
    </message>
    <message>
        <source>no phone number</source>
        <translation>无电话号码</translation>
    </message>
    <message>
        <source>Found: {reason}</source>
        <translation>发现：{reason}</translation>
    </message>
    <message>
        <source>Supplementary assessment: the insurer decides. Record the amount it approved per line, or Decline.</source>
        <translation>追加定损：由保险公司决定。请逐项登记保险公司核准的金额，或选择拒绝。</translation>
    </message>
    <message>
        <source>Proposed by {name} at {time}</source>
        <translation>由 {name} 于 {time} 提出</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Authorise</source>
        <translation>授权</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Who decides</source>
        <translation>由谁决定</translation>
    </message>
    <message>
        <source>Waiting for a decision: the customer's additional work, the insurer's supplementary assessments ({n})</source>
        <translation>待决定：客户的增项、保险公司的追加定损（{n}）</translation>
    </message>
    <message>
        <source>The insurer declined lines of the chosen supplementary assessment: record that the customer agreed to pay them.</source>
        <translation>保险公司拒赔了所选追加定损中的项目：登记顾客同意自付。</translation>
    </message>
    <message>
        <source>Choose a supplementary assessment above whose declined lines the customer has not been asked about yet.</source>
        <translation>请在上方选择一个追加定损，其中有尚未询问顾客的拒赔项目。</translation>
    </message>
    <message>
        <source>The customer pays 1 line the insurer declined on {number}.</source>
        <translation>顾客自付 {number} 上保险公司拒赔的 1 个项目。</translation>
    </message>
    <message>
        <source>The customer pays {n} lines the insurer declined on {number}.</source>
        <translation>顾客自付 {number} 上保险公司拒赔的 {n} 个项目。</translation>
    </message>
    <message>
        <source>&amp;Approve all</source>
        <translation>全部核准(&amp;A)</translation>
    </message>
    <message>
        <source>The insurer's answer</source>
        <translation>保险公司的答复</translation>
    </message>
    <message>
        <source>The amount the insurer approved</source>
        <translation>保险公司核准的金额</translation>
    </message>
    <message>
        <source>&amp;Insurer's assessor:</source>
        <translation>保险公司定损员(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;Who decided:</source>
        <translation>决定人(&amp;W)：</translation>
    </message>
    <message>
        <source>&amp;Who authorised:</source>
        <translation>授权人(&amp;W)：</translation>
    </message>
    <message>
        <source>Approved {amount} of {total}</source>
        <translation>已核准 {amount}，共 {total}</translation>
    </message>
    <message>
        <source>Authorised {amount} of {total}</source>
        <translation>已授权 {amount}（共 {total}）</translation>
    </message>
    <message>
        <source>{n} lines undecided</source>
        <translation>{n} 项未决定</translation>
    </message>
    <message>
        <source>Decision on {number} recorded: {yes} authorised, {no} declined.</source>
        <translation>已记录工单 {number} 的顾客决定：授权 {yes} 项，拒绝 {no} 项。</translation>
    </message>
    <message>
        <source>The insurer's answer on {number} recorded: {yes} approved, {no} declined.</source>
        <translation>已登记保险公司对 {number} 的答复：批准 {yes} 项，拒绝 {no} 项。</translation>
    </message>
    <message>
        <source>{text} Call {phone}.</source>
        <translation>{text} 请致电 {phone}。</translation>
    </message>
    <message>
        <source>{kind} on {number} ({plate}): {text}</source>
        <translation>{number}（{plate}）{kind}：{text}</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Advisor</source>
        <translation>服务顾问</translation>
    </message>
    <message>
        <source>Only the service advisor of the order acknowledges notices.</source>
        <translation>只有该工单的服务顾问可以确认通知。</translation>
    </message>
    <message>
        <source>1 open notice</source>
        <translation>1 条未处理通知</translation>
    </message>
    <message>
        <source>{n} open notices</source>
        <translation>{n} 条未处理通知</translation>
    </message>
    <message>
        <source>Customer's &amp;answer…</source>
        <translation>顾客答复(&amp;A)…</translation>
    </message>
    <message>
        <source>Notice on {number} acknowledged.</source>
        <translation>工单 {number} 的通知已确认。</translation>
    </message>
    <message>
        <source>Customer's answer on {number} recorded: {answer}.</source>
        <translation>已记录顾客对 {number} 的答复：{answer}。</translation>
    </message>
    <message>
        <source>Workshop notices</source>
        <translation>车间通知</translation>
    </message>
    <message>
        <source>Parts returned…</source>
        <extracomment>Who opens the supplier orders and claims (the manager to read them).</extracomment>
        <translation>退料…</translation>
    </message>
    <message>
        <source>Supplier orders…</source>
        <translation>采购单…</translation>
    </message>
    <message>
        <source>Supplier claims…</source>
        <translation>供应商索赔…</translation>
    </message>
    <message>
        <source>Return slip {slip} made: the parts are back in stock.</source>
        <translation>退料单 {slip} 已开出：配件已退回库存。</translation>
    </message>
    <message>
        <source>Accepted (credit or replacement to follow)</source>
        <translation>已受理（之后赔付或换货）</translation>
    </message>
    <message>
        <source>Credited</source>
        <translation>已赔付</translation>
    </message>
    <message>
        <source>Replaced</source>
        <translation>已换货</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>New supplier claim</source>
        <translation>新建供应商索赔</translation>
    </message>
    <message>
        <source>Customer pays declined work on {number}</source>
        <translation>顾客自付 {number} 的拒赔项目</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>The insurer declined these lines of the supplementary assessment ({reason}). Tick those the customer agreed to pay: they become the customer's additional work.</source>
        <translation>保险公司拒赔了这次追加定损中的以下项目（{reason}）。请勾选顾客同意自付的项目：它们将成为顾客自付的增项。</translation>
    </message>
    <message>
        <source>Declined by the insurer:</source>
        <translation>保险公司拒赔：</translation>
    </message>
    <message>
        <source>How the customer agreed:</source>
        <translation>顾客同意方式：</translation>
    </message>
    <message>
        <source>&amp;Who agreed:</source>
        <translation>同意人(&amp;W)：</translation>
    </message>
    <message>
        <source>The customer pays {amount}</source>
        <translation>顾客自付 {amount}</translation>
    </message>
    <message>
        <source>Supplier:</source>
        <translation>供应商：</translation>
    </message>
    <message>
        <source>{number}: {part}</source>
        <translation>{number}：{part}</translation>
    </message>
    <message>
        <source>Stock: {part}</source>
        <translation>库存：{part}</translation>
    </message>
    <message>
        <source>Fault:</source>
        <translation>故障描述：</translation>
    </message>
    <message>
        <source>What is wrong with the part</source>
        <translation>配件有什么问题</translation>
    </message>
    <message>
        <source>Add the supplier first (Supplier orders → New supplier…).</source>
        <translation>请先添加供应商（采购单 → 新供应商…）。</translation>
    </message>
    <message>
        <source>Supplier's answer to claim {number}</source>
        <translation>索赔单 {number} 的供应商答复</translation>
    </message>
    <message>
        <source>Answer:</source>
        <translation>答复：</translation>
    </message>
    <message>
        <source>Amount credited (¥):</source>
        <translation>赔付金额（¥）：</translation>
    </message>
    <message>
        <source>Supplier claims</source>
        <translation>供应商索赔</translation>
    </message>
    <message>
        <source>Open claims only</source>
        <translation>只显示未结索赔</translation>
    </message>
    <message>
        <source>Claim no.</source>
        <translation>索赔单号</translation>
    </message>
    <message>
        <source>Fault</source>
        <translation>故障描述</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供应商</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>登记时间</translation>
    </message>
    <message>
        <source>Claimed</source>
        <translation>索赔日期</translation>
    </message>
    <message>
        <source>Age (days)</source>
        <translation>已过天数</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>答复</translation>
    </message>
    <message>
        <source>New claim…</source>
        <translation>新建索赔…</translation>
    </message>
    <message>
        <source>Claimed from the supplier</source>
        <translation>已向供应商索赔</translation>
    </message>
    <message>
        <source>Supplier's answer…</source>
        <translation>供应商答复…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Claim {number} recorded; mark it claimed once it went to {supplier}.</source>
        <translation>索赔单 {number} 已登记；发给 {supplier} 后请标记为已索赔。</translation>
    </message>
    <message>
        <source>Claim {number} claimed from {supplier}.</source>
        <translation>索赔单 {number} 已向 {supplier} 索赔。</translation>
    </message>
    <message>
        <source>Claim {number}: {state}.</source>
        <translation>索赔单 {number}：{state}。</translation>
    </message>
</context>
<context>
    <name>StationPage</name>
    <message>
        <source>My jobs</source>
        <translation>我的作业</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Read the jobs again (F5)</source>
        <translation>重新读取作业 (F5)</translation>
    </message>
    <message>
        <source>Filter: order, plate, vehicle…</source>
        <translation>筛选：工单、车牌、车辆…</translation>
    </message>
    <message>
        <source>Work</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>开工(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Pause…</source>
        <translation>暂停(&amp;P)…</translation>
    </message>
    <message>
        <source>Res&amp;ume</source>
        <translation>继续(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Finish</source>
        <translation>完工(&amp;F)</translation>
    </message>
    <message>
        <source>&lt;b&gt;Clock entries of the selected line&lt;/b&gt;</source>
        <translation>&lt;b&gt;所选项目的工时记录&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Correct the time…</source>
        <translation>更正时间…</translation>
    </message>
    <message>
        <source>Managers only: correct a forgotten clock time; the entry is marked as edited.</source>
        <translation>仅限总经理：更正忘记打卡的时间；该记录会标记为“已更正”。</translation>
    </message>
    <message>
        <source>Parts</source>
        <translation>配件</translation>
    </message>
    <message>
        <source>Request &amp;parts…</source>
        <translation>申请领料(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Issue parts…</source>
        <translation>发料(&amp;I)…</translation>
    </message>
    <message>
        <source>Parts arrived</source>
        <translation>配件已到</translation>
    </message>
    <message>
        <source>Goods received…</source>
        <translation>配件入库…</translation>
    </message>
    <message>
        <source>&lt;b&gt;Parts issue slips&lt;/b&gt;</source>
        <translation>&lt;b&gt;出库单&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Si&amp;gn the slip…</source>
        <translation>签署出库单(&amp;G)…</translation>
    </message>
    <message>
        <source>Print pre&amp;view</source>
        <translation>打印预览(&amp;V)</translation>
    </message>
    <message>
        <source>Check-in sheet</source>
        <translation>接车登记表</translation>
    </message>
    <message>
        <source>Additional work</source>
        <translation>增项</translation>
    </message>
    <message>
        <source>&lt;b&gt;Lines of the selected request&lt;/b&gt;</source>
        <translation>&lt;b&gt;所选增项的项目&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Checks</source>
        <translation>质检</translation>
    </message>
    <message>
        <source>Choose a job on the left.</source>
        <translation>请在左侧选择一个作业。</translation>
    </message>
</context>
<context>
    <name>StationSettings</name>
    <message>
        <source>{kind} is not a kind of document shop-desk prints.</source>
        <extracomment>Board variants a display PC can show.</extracomment>
        <translation>{kind} 不是 shop-desk 打印的单据类型。</translation>
    </message>
    <message>
        <source>The settings of this PC could not be saved to {path}.</source>
        <translation>无法将本机设置保存到 {path}。</translation>
    </message>
    <message>
        <source>The station name must be text.</source>
        <translation>本机名称必须是文字。</translation>
    </message>
    <message>
        <source>The station name is too long (at most {n} characters).</source>
        <translation>本机名称过长（最多 {n} 个字符）。</translation>
    </message>
    <message>
        <source>The printer name must be text.</source>
        <translation>打印机名称必须是文字。</translation>
    </message>
    <message>
        <source>The board variant must be one of: {variants}.</source>
        <translation>看板类型必须是以下之一：{variants}。</translation>
    </message>
</context>
<context>
    <name>Summary</name>
    <message>
        <source>Customer pays</source>
        <translation>客户付费</translation>
    </message>
    <message>
        <source>Warranty</source>
        <translation>保修</translation>
    </message>
    <message>
        <source>Internal</source>
        <translation>内部</translation>
    </message>
    <message>
        <source>Goodwill</source>
        <translation>善意</translation>
    </message>
    <message>
        <source>Labour</source>
        <translation>工时</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>备品</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Vehicle {plate}</source>
        <translation>车辆 {plate}</translation>
    </message>
    <message>
        <source>VIN</source>
        <translation>车架号（VIN）</translation>
    </message>
    <message>
        <source>Year / colour</source>
        <translation>年款 / 颜色</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>车主</translation>
    </message>
    <message>
        <source>Sale date</source>
        <translation>销售日期</translation>
    </message>
    <message>
        <source>Warranty start</source>
        <translation>保修起始日</translation>
    </message>
    <message>
        <source>Odometer (km)</source>
        <translation>行驶里程（公里）</translation>
    </message>
    <message>
        <source>Recommended work</source>
        <translation>建议维修项目</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Customer's complaint</source>
        <translation>顾客描述</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>进店记录</translation>
    </message>
    <message>
        <source>Customer {name}</source>
        <translation>顾客 {name}</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Preferred call time</source>
        <translation>方便接听回访的时间</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>车牌号</translation>
    </message>
    <message>
        <source>Make and model</source>
        <translation>品牌车型</translation>
    </message>
    <message>
        <source>Vehicles</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Repair order {number}</source>
        <translation>工单 {number}</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Service advisor</source>
        <translation>服务顾问</translation>
    </message>
    <message>
        <source>Checked in</source>
        <translation>已接车</translation>
    </message>
    <message>
        <source>Promised completion time</source>
        <translation>预计完工时间</translation>
    </message>
    <message>
        <source>Team / technician</source>
        <translation>班组 / 维修技师</translation>
    </message>
    <message>
        <source>Field job</source>
        <translation>外出服务单</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Pay type</source>
        <translation>付费类型</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Work and parts</source>
        <translation>维修项目与配件</translation>
    </message>
    <message>
        <source>Customer pays: {amount}</source>
        <translation>客户应付：{amount}</translation>
    </message>
</context>
<context>
    <name>Units</name>
    <message>
        <source>pc</source>
        <extracomment>Units as the parts catalogue holds them (Chinese, or the English default) → one name each.</extracomment>
        <translation>个</translation>
    </message>
    <message>
        <source>can</source>
        <translation>桶</translation>
    </message>
    <message>
        <source>set</source>
        <translation>套</translation>
    </message>
    <message>
        <source>pair</source>
        <translation>对</translation>
    </message>
    <message>
        <source>L</source>
        <translation>升</translation>
    </message>
    <message>
        <source>bottle</source>
        <translation>瓶</translation>
    </message>
    <message>
        <source>box</source>
        <translation>盒</translation>
    </message>
    <message>
        <source>m</source>
        <translation>米</translation>
    </message>
    <message>
        <source>kg</source>
        <translation>千克</translation>
    </message>
</context>
<context>
    <name>Validation</name>
    <message>
        <source>A VIN has 17 characters; this one has {n}.</source>
        <extracomment>After the province and the issuing office: five characters; a new-energy car's six (D or F first or last); or four followed by the kind of plate — 挂 trailer, 学 learner, 警 police, 港/澳 Hong Kong and Macau cars (川A·1234学, 粤B·1234挂, 粤Z·1234港).</extracomment>
        <translation>车架号（VIN）应为 17 位，此号码为 {n} 位。</translation>
    </message>
    <message>
        <source>A VIN never contains the letters I, O or Q.</source>
        <translation>车架号（VIN）中不会出现字母 I、O、Q。</translation>
    </message>
    <message>
        <source>A VIN has only letters and digits.</source>
        <translation>车架号（VIN）只包含字母和数字。</translation>
    </message>
    <message>
        <source>The check digit (9th character) does not match; please compare the VIN with the vehicle (some markets do not use the check digit).</source>
        <translation>校验位（第 9 位）不符，请与车辆核对车架号（部分市场不使用校验位）。</translation>
    </message>
    <message>
        <source>Please enter the plate number.</source>
        <translation>请输入车牌号。</translation>
    </message>
    <message>
        <source>{plate} is not a valid Chinese plate: province character, a letter, then 5 characters (new-energy vehicles: 6), e.g. 京A·12345 or 粤B·D12345.</source>
        <translation>{plate} 不是有效的车牌号：省份简称 + 字母 + 5 位字符（新能源车 6 位），例如 京A·12345 或 粤B·D12345。</translation>
    </message>
    <message>
        <source>Please enter a phone number.</source>
        <translation>请输入电话号码。</translation>
    </message>
    <message>
        <source>{phone} is not a valid phone number: a mobile has 11 digits starting with 13–19, a landline starts with its area code (e.g. 010-12345678).</source>
        <translation>{phone} 不是有效的电话号码：手机号为 11 位、以 13–19 开头；固定电话以区号开头（例如 010-12345678）。</translation>
    </message>
</context>
<context>
    <name>VehiclePicker</name>
    <message>
        <source>Customer and vehicle</source>
        <translation>顾客和车辆</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>个人</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Nothing on file for {text}. Press Enter to register it as new.</source>
        <translation>没有找到 {text}。按回车键作为新记录登记。</translation>
    </message>
    <message>
        <source>New vehicle</source>
        <translation>新车辆</translation>
    </message>
    <message>
        <source>Choose the vehicle…</source>
        <translation>请选择车辆…</translation>
    </message>
    <message>
        <source>Only service advisors register vehicles; choose a vehicle on file.</source>
        <translation>只有服务顾问可以登记车辆；请选择已登记的车辆。</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>新顾客</translation>
    </message>
    <message>
        <source>On file: {customer}</source>
        <translation>已登记：{customer}</translation>
    </message>
    <message>
        <source>This number belongs to {customer} on file.</source>
        <translation>此号码属于已登记的顾客 {customer}。</translation>
    </message>
    <message>
        <source>Make</source>
        <translation>品牌</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>车型</translation>
    </message>
    <message>
        <source>Model year</source>
        <translation>年款</translation>
    </message>
    <message>
        <source>{field}: {source}</source>
        <translation>{field}：{source}</translation>
    </message>
    <message>
        <source>Use the vehicle on file: {vehicle}</source>
        <translation>使用已登记的车辆：{vehicle}</translation>
    </message>
    <message>
        <source>Use the customer on file: {customer}</source>
        <translation>使用已登记的顾客：{customer}</translation>
    </message>
    <message>
        <source>&amp;Save and check in</source>
        <translation>保存并接车(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Check in</source>
        <translation>接车(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Save and use</source>
        <translation>保存并使用(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Use</source>
        <translation>使用(&amp;U)</translation>
    </message>
    <message>
        <source>Choose one of the customer's vehicles or New vehicle.</source>
        <translation>请选择该顾客的一辆车，或选择“新车辆”。</translation>
    </message>
    <message>
        <source>Enter the vehicle: at least its VIN.</source>
        <translation>请填写车辆信息，至少填写车架号。</translation>
    </message>
</context>
<context>
    <name>VehiclePickerForm</name>
    <message>
        <source>&amp;Find</source>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <source>Phone, plate, VIN or name — Enter picks the first match</source>
        <translation>电话、车牌号、车架号或姓名——回车选择第一条结果</translation>
    </message>
    <message>
        <source>&amp;New customer</source>
        <translation>新顾客(&amp;N)</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Na&amp;me</source>
        <translation>姓名(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Phone</source>
        <translation>电话(&amp;P)</translation>
    </message>
    <message>
        <source>13800138000 or 021-64001111</source>
        <translation>13800138000 或 021-64001111</translation>
    </message>
    <message>
        <source>T&amp;ype</source>
        <translation>类型(&amp;Y)</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Ve&amp;hicle</source>
        <translation>车辆(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;VIN</source>
        <translation>车架号(&amp;V)</translation>
    </message>
    <message>
        <source>17 characters, from the driving licence</source>
        <translation>17 位，见行驶证</translation>
    </message>
    <message>
        <source>P&amp;late</source>
        <translation>车牌号(&amp;L)</translation>
    </message>
    <message>
        <source>e.g. 沪A·12345 (empty for a new car)</source>
        <translation>例如 沪A·12345（新车未上牌可不填）</translation>
    </message>
    <message>
        <source>M&amp;ake</source>
        <translation>品牌(&amp;A)</translation>
    </message>
    <message>
        <source>M&amp;odel</source>
        <translation>车型(&amp;O)</translation>
    </message>
    <message>
        <source>Model &amp;year</source>
        <translation>年款(&amp;Y)</translation>
    </message>
    <message>
        <source>Odometer (&amp;km)</source>
        <translation>行驶里程（公里）(&amp;K)</translation>
    </message>
</context>
<context>
    <name>Vin</name>
    <message>
        <source>like 1 car on file</source>
        <extracomment>WMI → manufacturer, in both languages like the rest of the shop's data. The 10th character's 30-year cycle (no I, O, Q, U, Z, 0): A = 1980/2010, 9 = 2009/2039.</extracomment>
        <translation>与店里 1 辆车相同</translation>
    </message>
    <message>
        <source>like {n} cars on file</source>
        <translation>与店里 {n} 辆车相同</translation>
    </message>
    <message>
        <source>from the VIN</source>
        <translation>由 VIN 得出</translation>
    </message>
</context>
<context>
    <name>Warranty</name>
    <message>
        <source>Covered by warranty</source>
        <extracomment>Orders whose work counts as fitted (the car left the workshop with it).</extracomment>
        <translation>属于质量担保范围</translation>
    </message>
    <message>
        <source>Not covered</source>
        <translation>不保修</translation>
    </message>
    <message>
        <source>Pending manufacturer approval</source>
        <translation>待厂家审批</translation>
    </message>
    <message>
        <source>Excluded from warranty for this vehicle{note}.</source>
        <translation>本车该项不在质保范围{note}。</translation>
    </message>
    <message>
        <source>This vehicle's own warranty terms ended on {date}{note}.</source>
        <translation>本车专属质保条款已于 {date} 到期{note}。</translation>
    </message>
    <message>
        <source>The odometer reading is unknown; record it to decide the warranty.</source>
        <translation>行驶里程未知，请先录入里程再判定质量担保。</translation>
    </message>
    <message>
        <source>{km} km is beyond this vehicle's own warranty terms ({limit} km){note}.</source>
        <translation>{km} 公里超出本车专属质保条款（{limit} 公里）{note}。</translation>
    </message>
    <message>
        <source>Covered by this vehicle's own warranty terms{note}.</source>
        <translation>按本车专属质保条款保修{note}。</translation>
    </message>
    <message>
        <source>There is no warranty policy for the category {category}; refer the case to the manufacturer.</source>
        <translation>类别 {category} 没有质保政策，请上报厂家。</translation>
    </message>
    <message>
        <source>{policy}: excluded from the warranty.</source>
        <translation>{policy}：不在质保范围。</translation>
    </message>
    <message>
        <source>There is no record of when the shop fitted this item; check the earlier invoice or refer the case to the manufacturer.</source>
        <translation>没有本店安装该项目的记录；请核对以前的发票或上报厂家。</translation>
    </message>
    <message>
        <source>The warranty start date of this vehicle is unknown; record the sale date or refer the case to the manufacturer.</source>
        <translation>该车质保起始日期未知；请录入销售日期或上报厂家。</translation>
    </message>
    <message>
        <source>The odometer reading (now or at fitting) is unknown; record it to decide the warranty.</source>
        <translation>行驶里程（当前或安装时）未知，请录入后再判定质量担保。</translation>
    </message>
    <message>
        <source>{policy}: the warranty of {days} days from {start} ended on {date}.</source>
        <translation>{policy}：自 {start} 起 {days} 天的质保期已于 {date} 结束。</translation>
    </message>
    <message>
        <source>{policy}: {km} km is beyond the limit of {limit} km.</source>
        <translation>{policy}：{km} 公里超过 {limit} 公里的里程限制。</translation>
    </message>
    <message>
        <source>until {date}</source>
        <translation>至 {date}</translation>
    </message>
    <message>
        <source>up to {km} km</source>
        <translation>{km} 公里以内</translation>
    </message>
    <message>
        <source>without a time or mileage limit</source>
        <translation>不限时间和里程</translation>
    </message>
    <message>
        <source>{policy}: covered {limits}.</source>
        <translation>{policy}：保修，{limits}。</translation>
    </message>
</context>
<context>
    <name>WarrantyTerms</name>
    <message>
        <source>General</source>
        <extracomment>Sensible limits: a warranty of more than 20 years or 2 million km is a typing error.</extracomment>
        <translation>通用</translation>
    </message>
    <message>
        <source>Wear parts</source>
        <translation>易损件</translation>
    </message>
    <message>
        <source>Accessories</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Routine maintenance</source>
        <translation>常规保养</translation>
    </message>
    <message>
        <source>Body and paint</source>
        <translation>钣金喷漆</translation>
    </message>
    <message>
        <source>Shop-fitted parts and labour</source>
        <translation>本店安装的零件和工时</translation>
    </message>
    <message>
        <source>From the car's warranty start</source>
        <translation>自车辆质量担保起始日</translation>
    </message>
    <message>
        <source>From the fitting</source>
        <translation>自安装之日</translation>
    </message>
    <message>
        <source>Excluded</source>
        <translation>不在担保范围</translation>
    </message>
    <message>
        <source>{n} days</source>
        <translation>{n} 天</translation>
    </message>
    <message>
        <source>{km} km</source>
        <translation>{km} 公里</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>until {date}</source>
        <translation>至 {date}</translation>
    </message>
    <message>
        <source>up to {km} km</source>
        <translation>{km} 公里以内</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>The category code {code} may have only small letters, digits and _ (2 to 30 characters, starting with a letter).</source>
        <translation>类别代码 {code} 只能包含小写字母、数字和 _（2 至 30 个字符，以字母开头）。</translation>
    </message>
    <message>
        <source>{field} must be yes or no.</source>
        <translation>{field}只能为是或否。</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>政策</translation>
    </message>
    <message>
        <source>{name} is retired and kept for history; add a new policy instead.</source>
        <translation>{name}已停用并保留作历史记录；请新增一项政策。</translation>
    </message>
    <message>
        <source>Policy name</source>
        <translation>政策名称</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>起算方式</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>天数</translation>
    </message>
    <message>
        <source>Kilometres</source>
        <translation>公里数</translation>
    </message>
    <message>
        <source>Give the warranty in days, in kilometres or both, or mark the category excluded.</source>
        <translation>请填写担保天数、公里数或两者，或将该类别标为不在担保范围。</translation>
    </message>
    <message>
        <source>{category} already has the policy {name}. Change that one, or retire it first.</source>
        <translation>{category}已有政策{name}。请修改该政策，或先将其停用。</translation>
    </message>
    <message>
        <source>{name} is retired already.</source>
        <translation>{name}已经停用。</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Card number or note</source>
        <translation>保卡号或备注</translation>
    </message>
    <message>
        <source>The last covered day must be a date.</source>
        <translation>担保截止日必须是日期。</translation>
    </message>
    <message>
        <source>Last covered km</source>
        <translation>担保截止公里数</translation>
    </message>
    <message>
        <source>Give the card's last covered day, its kilometres or both, or mark the category excluded for this car.</source>
        <translation>请填写保卡的担保截止日、截止公里数或两者，或将该类别标为此车不在担保范围。</translation>
    </message>
    <message>
        <source>This car already has its own terms for {category} ({note}). Remove them first.</source>
        <translation>此车的{category}已有专属条款（{note}）。请先移除。</translation>
    </message>
    <message>
        <source>Warranty card</source>
        <translation>保卡</translation>
    </message>
</context>
<context>
    <name>Widgets</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
</context>
<context>
    <name>Workshop</name>
    <message>
        <source>Job line</source>
        <extracomment>States in which technicians may clock on (start, resume, finish) labour lines. States in which a running line may still be paused (the order may have just stopped). OrderEvent kinds the service advisor is told about (advisor_alerts).</extracomment>
        <translation>维修项目</translation>
    </message>
    <message>
        <source>Cannot {doing}: order {number} is {state}; this is possible only when it is {allowed}.</source>
        <translation>无法{doing}：工单 {number} 当前状态为“{state}”；只有在“{allowed}”状态下才能进行。</translation>
    </message>
    <message>
        <source>{what}: the signature image is missing; please sign again.</source>
        <translation>{what}：签名图像缺失，请重新签字。</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>班组</translation>
    </message>
    <message>
        <source>Team {team} is not active.</source>
        <translation>班组 {team} 已停用。</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>维修技师</translation>
    </message>
    <message>
        <source>{name} is not an active staff member.</source>
        <translation>{name} 不是在职员工。</translation>
    </message>
    <message>
        <source>{name} is not a member of team {team}.</source>
        <translation>{name} 不是班组 {team} 的成员。</translation>
    </message>
    <message>
        <source>{name} is not a technician.</source>
        <translation>{name} 不是维修技师。</translation>
    </message>
    <message>
        <source>Reason to go on</source>
        <translation>继续派工的原因</translation>
    </message>
    <message>
        <source>{name} has no valid certification for the skill this job needs: {skills}. To dispatch the job to them anyway, the supervisor must give the reason.</source>
        <translation>{name}没有此作业所需技能的有效上岗培训：{skills}。如仍要派工给此人，车间主管必须填写原因。</translation>
    </message>
    <message>
        <source>{name} has no valid certification for: {skills}. Dispatched on the supervisor's reason: {reason}</source>
        <translation>{name}没有以下技能的有效上岗培训：{skills}。已按车间主管的原因派工：{reason}</translation>
    </message>
    <message>
        <source>Team {team} lacks the skill this job needs: {skills}.</source>
        <translation>班组 {team} 缺少此作业所需的技能：{skills}。</translation>
    </message>
    <message>
        <source>Team {team} is over capacity today: {assigned} of {capacity} hours assigned.</source>
        <translation>班组 {team} 今日已超负荷：已派 {assigned} 工时，产能 {capacity} 工时。</translation>
    </message>
    <message>
        <source>Order {number} cannot be dispatched: the customer has not signed the task order.</source>
        <translation>工单 {number} 不能派工：顾客尚未在任务委托书上签字。</translation>
    </message>
    <message>
        <source>Order {number} cannot be dispatched: the advisor has not handed the car over to the workshop.</source>
        <translation>工单 {number} 不能派工：服务顾问尚未将车辆交接给车间。</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>派工优先度</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>New damage must be a list of marks.</source>
        <translation>新发现的损伤须以标记列表给出。</translation>
    </message>
    <message>
        <source>View</source>
        <translation>视图</translation>
    </message>
    <message>
        <source>Kind of damage</source>
        <translation>损伤类型</translation>
    </message>
    <message>
        <source>A damage mark must lie on the car diagram.</source>
        <translation>损伤标记必须位于车辆示意图上。</translation>
    </message>
    <message>
        <source>A damage mark lies beside the car: place it on the car in the drawing.</source>
        <translation>损伤标记在车身以外：请标在图中的车身上。</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>accept the car</source>
        <translation>验收车辆</translation>
    </message>
    <message>
        <source>Order {number} was already accepted at {when}.</source>
        <translation>工单 {number} 已于 {when} 验收。</translation>
    </message>
    <message>
        <source>{name} is not a member of the team this job is dispatched to.</source>
        <translation>{name} 不是此作业所派班组的成员。</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Created at acceptance in the workshop.</source>
        <translation>车间验收时记录。</translation>
    </message>
    <message>
        <source>Only labour lines are clocked; {line} is a part.</source>
        <translation>只有工时项目需要打卡；{line} 是配件。</translation>
    </message>
    <message>
        <source>Cannot {doing}: {line} is in a supplementary assessment waiting for the insurer's approval (order {number}); the service advisor records the insurer's answer.</source>
        <translation>无法{doing}：{line} 属于等待保险公司核准的追加定损（工单 {number}）；由服务顾问记录保险公司的答复。</translation>
    </message>
    <message>
        <source>Cannot {doing}: order {number} waits for the insurer's approval of a supplementary assessment; the service advisor records the insurer's answer.</source>
        <translation>无法{doing}：工单 {number} 正在等待保险公司核准追加定损；由服务顾问记录保险公司的答复。</translation>
    </message>
    <message>
        <source>{line} was declined by the insurer; it cannot be worked on unless the customer agrees to pay it.</source>
        <translation>{line} 已被保险公司拒赔；除非客户同意自付，否则不能施工。</translation>
    </message>
    <message>
        <source>{line} waits for the insurer's approval of the supplementary assessment; it cannot be worked on.</source>
        <translation>{line} 正在等待保险公司核准追加定损，不能施工。</translation>
    </message>
    <message>
        <source>{line} is additional work the customer has not authorised; it cannot be worked on.</source>
        <translation>{line} 是顾客尚未授权的增项，不能施工。</translation>
    </message>
    <message>
        <source>start work</source>
        <translation>开工</translation>
    </message>
    <message>
        <source>Accept the car against the check-in sheet before starting work on order {number}.</source>
        <translation>开始工单 {number} 的作业前，请先对照接车登记表验收车辆。</translation>
    </message>
    <message>
        <source>Work on {line} has already started.</source>
        <translation>{line} 已经开工。</translation>
    </message>
    <message>
        <source>Work on {line} is paused; resume it instead of starting again.</source>
        <translation>{line} 已暂停，请点“继续”而不是重新开工。</translation>
    </message>
    <message>
        <source>{line} is already finished.</source>
        <translation>{line} 已完工。</translation>
    </message>
    <message>
        <source>pause work</source>
        <translation>暂停作业</translation>
    </message>
    <message>
        <source>Reason for the pause</source>
        <translation>暂停原因</translation>
    </message>
    <message>
        <source>Work on {line} is not running, so it cannot be paused.</source>
        <translation>{line} 未在作业中，不能暂停。</translation>
    </message>
    <message>
        <source>resume work</source>
        <translation>继续作业</translation>
    </message>
    <message>
        <source>Work on {line} is not paused.</source>
        <translation>{line} 未暂停。</translation>
    </message>
    <message>
        <source>finish work</source>
        <translation>完工</translation>
    </message>
    <message>
        <source>Work on {line} has not started yet.</source>
        <translation>{line} 尚未开工。</translation>
    </message>
    <message>
        <source>{line} cannot be finished: parts requested for this order have not been issued yet ({parts}).</source>
        <translation>{line} 不能完工：本工单申请的配件尚未发料（{parts}）。</translation>
    </message>
    <message>
        <source>Clock entry</source>
        <translation>打卡记录</translation>
    </message>
    <message>
        <source>Reason for the correction</source>
        <translation>更正原因</translation>
    </message>
    <message>
        <source>Give the corrected date and time.</source>
        <translation>请填写更正后的日期和时间。</translation>
    </message>
    <message>
        <source>A clock time cannot lie in the future.</source>
        <translation>打卡时间不能晚于当前时间。</translation>
    </message>
    <message>
        <source>The corrected time must lie between the entries before and after it on this line.</source>
        <translation>更正后的时间必须介于本行前后两条打卡记录之间。</translation>
    </message>
    <message>
        <source>report a delay</source>
        <translation>报告进度延误</translation>
    </message>
    <message>
        <source>Reason for the delay</source>
        <translation>延误原因</translation>
    </message>
    <message>
        <source>Give the new promised completion time.</source>
        <translation>请填写新的预计完工时间。</translation>
    </message>
    <message>
        <source>The new promised completion time must lie in the future.</source>
        <translation>新的预计完工时间必须晚于当前时间。</translation>
    </message>
    <message>
        <source>A delay moves the promised time later than {when}.</source>
        <translation>进度延误须将预计完工时间推迟到 {when} 之后。</translation>
    </message>
    <message>
        <source>The workshop found damage not on the check-in sheet ({n} marks).</source>
        <translation>车间发现接车登记表上没有的损伤（{n} 处）。</translation>
    </message>
    <message>
        <source>The car wash has started.</source>
        <translation>已开始洗车。</translation>
    </message>
    <message>
        <source>The car is washed and parked at {spot}.</source>
        <translation>车辆已洗好，停放在 {spot}。</translation>
    </message>
    <message>
        <source>Delay: new promised completion {when}. Reason: {reason}</source>
        <translation>进度延误：新的预计完工时间 {when}。原因：{reason}</translation>
    </message>
    <message>
        <source>A supplementary assessment waits for the insurer's approval: {reason}</source>
        <translation>追加定损等待保险公司核准：{reason}</translation>
    </message>
    <message>
        <source>Additional work waits for the customer's authorisation: {reason}</source>
        <translation>增项等待顾客授权：{reason}</translation>
    </message>
    <message>
        <source>Agreed to the new time</source>
        <extracomment>The customer's answer to a delay's new promised time.</extracomment>
        <translation>同意新的时间</translation>
    </message>
    <message>
        <source>Did not agree</source>
        <translation>不同意</translation>
    </message>
    <message>
        <source>Not reached: call again</source>
        <translation>未联系上：稍后再打</translation>
    </message>
    <message>
        <source>The customer's answer</source>
        <translation>顾客的答复</translation>
    </message>
    <message>
        <source>Say what the customer wants when the new time is not agreed.</source>
        <translation>顾客不同意新时间时，请写明顾客的要求。</translation>
    </message>
    <message>
        <source>The customer's answer to this delay is recorded already.</source>
        <translation>顾客对此次延时的答复已记录。</translation>
    </message>
    <message>
        <source>Kind of notice</source>
        <translation>通知类型</translation>
    </message>
    <message>
        <source>This notice goes away when the customer's decision on the additional work is recorded.</source>
        <translation>记录顾客对增项的决定后，此通知会自动消失。</translation>
    </message>
    <message>
        <source>Delay report</source>
        <translation>进度延误报告</translation>
    </message>
    <message>
        <source>A delay notice goes away when the customer's answer to the new time is recorded.</source>
        <translation>延时通知在记录顾客对新时间的答复后消失。</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>Notice {ident} was not found.</source>
        <translation>未找到通知 {ident}。</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Each line of additional work needs its details.</source>
        <translation>每一行增项都需要填写明细。</translation>
    </message>
    <message>
        <source>Line kind</source>
        <translation>行类型</translation>
    </message>
    <message>
        <source>Pay type</source>
        <translation>付费类型</translation>
    </message>
    <message>
        <source>Hidden damage the insurer pays is proposed as a supplementary assessment, and only that.</source>
        <translation>由保险公司赔付的隐损只能作为追加定损提出。</translation>
    </message>
    <message>
        <source>Labour operation</source>
        <translation>工时项目</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>工时</translation>
    </message>
    <message>
        <source>Labour rate</source>
        <translation>工时单价</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>备品</translation>
    </message>
    <message>
        <source>Choose the part from the parts catalogue: the parts counter issues only catalogue parts.</source>
        <translation>请从备品目录中选择备品：配件管理员只能出库目录中的备品。</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>propose additional work</source>
        <translation>提出增项</translation>
    </message>
    <message>
        <source>Reason for the additional work</source>
        <translation>增项原因</translation>
    </message>
    <message>
        <source>Add at least one line of additional work.</source>
        <translation>请至少添加一行增项。</translation>
    </message>
    <message>
        <source>Additional work request</source>
        <translation>增项申请</translation>
    </message>
    <message>
        <source>This is a supplementary assessment: the insurer decides it. Record the insurer's answer instead.</source>
        <translation>这是追加定损，由保险公司决定。请改为登记保险公司的答复。</translation>
    </message>
    <message>
        <source>This additional work is the customer's to authorise, not the insurer's.</source>
        <translation>这项增项由顾客授权，而不是保险公司。</translation>
    </message>
    <message>
        <source>The customer's decision on this additional work is already recorded.</source>
        <translation>顾客对此增项的决定已记录。</translation>
    </message>
    <message>
        <source>The insurer's answer on this supplementary assessment is already recorded.</source>
        <translation>这次追加定损的保险公司答复已登记。</translation>
    </message>
    <message>
        <source>Record the insurer's answer on every line: {lines}.</source>
        <translation>请登记保险公司对每个项目的答复：{lines}。</translation>
    </message>
    <message>
        <source>record the authorisation</source>
        <translation>记录顾客授权</translation>
    </message>
    <message>
        <source>Authorisation method</source>
        <translation>授权方式</translation>
    </message>
    <message>
        <source>Who authorised</source>
        <translation>授权人</translation>
    </message>
    <message>
        <source>Authorisation</source>
        <translation>顾客授权</translation>
    </message>
    <message>
        <source>Line {line} is not part of this additional work.</source>
        <translation>第 {line} 行不属于此增项。</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>决定</translation>
    </message>
    <message>
        <source>Record the customer's decision on every line: {lines}.</source>
        <translation>请记录顾客对每一行的决定：{lines}。</translation>
    </message>
    <message>
        <source>{line} (additional work waiting for the customer's authorisation)</source>
        <translation>{line}（增项，待顾客授权）</translation>
    </message>
    <message>
        <source>work not finished</source>
        <translation>未完工</translation>
    </message>
    <message>
        <source>part not requested yet</source>
        <translation>备品尚未申领</translation>
    </message>
    <message>
        <source>part not issued yet</source>
        <translation>备品尚未出库</translation>
    </message>
    <message>
        <source>{line} (authorised additional work; {what})</source>
        <translation>{line}（已授权增项；{what}）</translation>
    </message>
    <message>
        <source>{line} ({what})</source>
        <translation>{line}（{what}）</translation>
    </message>
    <message>
        <source>The service advisor records the customer's decision on the additional work first.</source>
        <translation>请服务顾问先登记顾客对增项的决定。</translation>
    </message>
    <message>
        <source>Finish these lines first: request missing parts on the Parts tab, the parts counter issues them, then finish the labour.</source>
        <translation>请先完成这些项目：在“备品”页申领缺少的备品，由配件管理员出库，然后完成工时项目。</translation>
    </message>
    <message>
        <source>Cannot {doing} on order {number}. Not done yet: {lines}. {advice}</source>
        <translation>工单 {number} 不能{doing}。尚未完成：{lines}。{advice}</translation>
    </message>
    <message>
        <source>The self-check of {number} waits for the parts issue slip to be signed by the technician who received the parts: {slips}.</source>
        <translation>{number} 的自检须等领料技师在出库单上签字：{slips}。</translation>
    </message>
    <message>
        <source>Order {number} is not dispatched to a team: its team leader checks it once the supervisor has dispatched it.</source>
        <translation>维修单 {number} 尚未派工到班组：主管派工后由该班组的班组长检验。</translation>
    </message>
    <message>
        <source>Order {number} is team {team}'s: its team leader ({leaders}) checks it, not {name}.</source>
        <translation>维修单 {number} 属于班组 {team}：应由其班组长（{leaders}）检验，而不是 {name}。</translation>
    </message>
    <message>
        <source>The wash of {number} is finished when the car is clean. Not ticked: {items}.</source>
        <translation>车辆洗净后才能完成 {number} 的洗车。未勾选：{items}。</translation>
    </message>
    <message>
        <source>send the car back to the workshop</source>
        <translation>将车辆退回车间</translation>
    </message>
    <message>
        <source>Reason for sending the car back</source>
        <translation>退回车间的原因</translation>
    </message>
    <message>
        <source>The checklist must list items ticked yes or no.</source>
        <translation>检查表的每一项必须勾选“是”或“否”。</translation>
    </message>
    <message>
        <source>{line} (supplementary assessment waiting for the insurer's approval)</source>
        <translation>{line}（追加定损，待保险公司核准）</translation>
    </message>
    <message>
        <source>The service advisor records the insurer's answer on the supplementary assessment first.</source>
        <translation>请服务顾问先登记保险公司对追加定损的答复。</translation>
    </message>
    <message>
        <source>record the self-check</source>
        <translation>记录自检</translation>
    </message>
    <message>
        <source>The self-check cannot pass with items not ticked: {items}.</source>
        <translation>有未勾选的项目，自检不能通过：{items}。</translation>
    </message>
    <message>
        <source>Say what is wrong when the self-check fails.</source>
        <translation>自检不合格时请说明问题。</translation>
    </message>
    <message>
        <source>record the team-leader check</source>
        <translation>记录班组长检验</translation>
    </message>
    <message>
        <source>The team-leader check needs a passed self-check of the technician first.</source>
        <translation>班组长检验前，技师须先通过自检。</translation>
    </message>
    <message>
        <source>Repair advice</source>
        <translation>维修建议</translation>
    </message>
    <message>
        <source>Say what is wrong when the team-leader check fails.</source>
        <translation>班组长检验不合格时请说明问题。</translation>
    </message>
    <message>
        <source>record the final inspection</source>
        <translation>记录总检</translation>
    </message>
    <message>
        <source>Order {number} has no passed team-leader check in this round; the final inspection cannot be recorded without it.</source>
        <translation>工单 {number} 本轮尚未通过班组长检验，不能记录总检结果。</translation>
    </message>
    <message>
        <source>Advice</source>
        <translation>建议</translation>
    </message>
    <message>
        <source>Give the reason when the final inspection fails; the technician needs it.</source>
        <translation>总检不合格时请填写原因，技师需要据此返工。</translation>
    </message>
    <message>
        <source>pass the final inspection</source>
        <translation>通过总检</translation>
    </message>
    <message>
        <source>start the car wash</source>
        <translation>开始洗车</translation>
    </message>
    <message>
        <source>The wash of order {number} has already started.</source>
        <translation>工单 {number} 已开始洗车。</translation>
    </message>
    <message>
        <source>finish the car wash</source>
        <translation>完成洗车</translation>
    </message>
    <message>
        <source>Start the wash of order {number} before finishing it.</source>
        <translation>请先开始工单 {number} 的洗车，再完成洗车。</translation>
    </message>
    <message>
        <source>Parking spot</source>
        <translation>竣工停车位</translation>
    </message>
    <message>
        <source>set the parking spot</source>
        <translation>设置停车位</translation>
    </message>
</context>
<context>
    <name>WorkshopBoard</name>
    <message>
        <source>Workshop board</source>
        <translation>车间主管看板</translation>
    </message>
    <message>
        <source>Filter: plate, order, team…</source>
        <translation>筛选：车牌、工单号、班组…</translation>
    </message>
    <message>
        <source>{hours} h</source>
        <translation>{hours} 工时</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>{name} (leader)</source>
        <translation>{name}（班组长）</translation>
    </message>
    <message>
        <source>No members</source>
        <translation>无成员</translation>
    </message>
    <message>
        <source>Skills: {skills}</source>
        <translation>技能：{skills}</translation>
    </message>
    <message>
        <source>{assigned} / {capacity} h</source>
        <translation>{assigned} / {capacity} 工时</translation>
    </message>
    <message>
        <source>{team}: {assigned} of {capacity} hours assigned today</source>
        <translation>{team}：今天已派 {assigned} 工时，产能 {capacity} 工时</translation>
    </message>
    <message>
        <source>Lacks: {skills}</source>
        <translation>缺少技能：{skills}</translation>
    </message>
    <message>
        <source>Drop to dispatch {number} here</source>
        <translation>松开鼠标即把 {number} 派给本班组</translation>
    </message>
    <message>
        <source>Reassign {number}</source>
        <translation>改派 {number}</translation>
    </message>
    <message>
        <source>Dispatch {number}</source>
        <translation>派工 {number}</translation>
    </message>
    <message>
        <source>Reassign</source>
        <translation>改派</translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation>派工</translation>
    </message>
    <message>
        <source>promised {when}</source>
        <translation>预计完工 {when}</translation>
    </message>
    <message>
        <source>Work: {lines}</source>
        <translation>维修项目：{lines}</translation>
    </message>
    <message>
        <source>Skills needed: {skills} · {hours} h of work</source>
        <translation>所需技能：{skills} · 共 {hours} 工时</translation>
    </message>
    <message>
        <source>Reloaded: the order as it is now. Your choices are kept.</source>
        <translation>已重新读取工单的最新状态，您的选择已保留。</translation>
    </message>
    <message>
        <source>— the team leader decides —</source>
        <translation>— 由班组长安排 —</translation>
    </message>
    <message>
        <source>{name} has no valid certification for: {skills}. To go on, give the reason below.</source>
        <translation>{name}没有以下技能的有效上岗培训：{skills}。如需继续，请在下方填写原因。</translation>
    </message>
    <message>
        <source>{team} lacks the skill this job needs: {skills}.</source>
        <translation>{team}缺少此项作业所需的技能：{skills}。</translation>
    </message>
    <message>
        <source>{team} would have {after} of {capacity} hours today.</source>
        <translation>派工后{team}今天将有 {after} 工时，超过产能 {capacity} 工时。</translation>
    </message>
    <message>
        <source>{team} has the skills and {free} free hours today.</source>
        <translation>{team}具备所需技能，今天还有 {free} 空闲工时。</translation>
    </message>
    <message>
        <source>Press Reload to see the order as it is now.</source>
        <translation>请点击“重新读取”查看工单的最新状态。</translation>
    </message>
    <message>
        <source>Report delay</source>
        <translation>报告进度延误</translation>
    </message>
    <message>
        <source>Report a delay: {number}</source>
        <translation>报告进度延误：{number}</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>{plate} — {number}</source>
        <translation>{plate} — {number}</translation>
    </message>
    <message>
        <source>Customer's complaint:</source>
        <translation>顾客描述：</translation>
    </message>
    <message>
        <source>Service advisor:</source>
        <translation>服务顾问：</translation>
    </message>
    <message>
        <source>Promised completion time:</source>
        <translation>预计完工时间：</translation>
    </message>
    <message>
        <source>Priority:</source>
        <translation>派工优先度：</translation>
    </message>
    <message>
        <source>Handover:</source>
        <translation>交接：</translation>
    </message>
    <message>
        <source>{when} by {name}, received by {supervisor}</source>
        <translation>{when}，{name} 交接，{supervisor} 接收</translation>
    </message>
    <message>
        <source>{when} by {name}</source>
        <translation>{when}，{name}</translation>
    </message>
    <message>
        <source>Not handed over yet</source>
        <translation>尚未交接</translation>
    </message>
    <message>
        <source>Key handed over:</source>
        <translation>钥匙已交接：</translation>
    </message>
    <message>
        <source>Task order and check-in sheet handed over:</source>
        <translation>任务委托书和接车登记表已交接：</translation>
    </message>
    <message>
        <source>Handover notes:</source>
        <translation>交接备注：</translation>
    </message>
    <message>
        <source>Team:</source>
        <translation>班组：</translation>
    </message>
    <message>
        <source>Technician:</source>
        <translation>维修技师：</translation>
    </message>
    <message>
        <source>Dispatched:</source>
        <translation>派工时间：</translation>
    </message>
    <message>
        <source>Accepted by the team:</source>
        <translation>班组验收：</translation>
    </message>
    <message>
        <source>Not accepted yet</source>
        <translation>尚未验收</translation>
    </message>
    <message>
        <source>work not started</source>
        <translation>未开工</translation>
    </message>
    <message>
        <source>work in progress</source>
        <translation>维修中</translation>
    </message>
    <message>
        <source>work paused</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>work done</source>
        <translation>完工</translation>
    </message>
    <message>
        <source>waiting for the customer's authorisation</source>
        <translation>待顾客授权</translation>
    </message>
    <message>
        <source>declined by the customer</source>
        <translation>顾客拒绝</translation>
    </message>
    <message>
        <source>Work:</source>
        <translation>维修项目：</translation>
    </message>
    <message>
        <source>Last delay:</source>
        <translation>最近一次进度延误：</translation>
    </message>
    <message>
        <source>{when}: {reason} (new time {new})</source>
        <translation>{when}：{reason}（新的预计完工时间 {new}）</translation>
    </message>
    <message>
        <source>Parking spot:</source>
        <translation>竣工停车位：</translation>
    </message>
    <message>
        <source>The board could not be read just now; it tries again.</source>
        <extracomment>How often the page asks the change watcher whether another station committed (ms): twice a second, so another PC's change shows within a second (asking costs microseconds). Without a change watcher (e.g. an in-memory database) the page re-reads this often (s).</extracomment>
        <translation>暂时无法读取看板数据，稍后自动重试。</translation>
    </message>
    <message>
        <source>&amp;Reassign…</source>
        <translation>改派(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Dispatch…</source>
        <translation>派工(&amp;D)…</translation>
    </message>
    <message>
        <source>1 car · {waiting} awaiting dispatch · {overdue} overdue</source>
        <translation>共 1 辆车 · {waiting} 辆待派工 · {overdue} 辆超时</translation>
    </message>
    <message>
        <source>{n} cars · {waiting} awaiting dispatch · {overdue} overdue</source>
        <translation>共 {n} 辆车 · {waiting} 辆待派工 · {overdue} 辆超时</translation>
    </message>
    <message>
        <source>Only the workshop supervisor dispatches cars.</source>
        <translation>只有车间主管可以派工。</translation>
    </message>
    <message>
        <source>Order {number} is no longer in the workshop.</source>
        <translation>工单 {number} 已不在车间。</translation>
    </message>
    <message>
        <source>{plate} is {state}; only cars awaiting dispatch or being worked on can be given to a team.</source>
        <translation>{plate}当前为“{state}”；只有待派工或维修中的车辆可以派给班组。</translation>
    </message>
    <message>
        <source>{plate} ({number}) dispatched to {team}.</source>
        <translation>{plate}（{number}）已派给{team}。</translation>
    </message>
    <message>
        <source>Delay of {number} reported: new promised time {when}. The advisor is told.</source>
        <translation>已报告 {number} 的进度延误：新的预计完工时间 {when}。已通知服务顾问。</translation>
    </message>
    <message>
        <source>Reassign to</source>
        <translation>改派给</translation>
    </message>
    <message>
        <source>Dispatch to</source>
        <translation>派给</translation>
    </message>
    <message>
        <source>{team} — {assigned}/{capacity} h</source>
        <translation>{team} — {assigned}/{capacity} 工时</translation>
    </message>
    <message>
        <source>Reassign…</source>
        <translation>改派…</translation>
    </message>
    <message>
        <source>Dispatch…</source>
        <translation>派工…</translation>
    </message>
    <message>
        <source>Report delay…</source>
        <translation>报告进度延误…</translation>
    </message>
    <message>
        <source>Details…</source>
        <translation>详情…</translation>
    </message>
    <message>
        <source>Open order</source>
        <translation>打开工单</translation>
    </message>
    <message>
        <source>Parts arrive tomorrow morning.</source>
        <translation>配件明天上午到。</translation>
    </message>
    <message>
        <source>Workshop</source>
        <translation>车间</translation>
    </message>
    <message>
        <source>Dispatch the selected car to a team or reassign it</source>
        <translation>把选中的车辆派给班组或改派</translation>
    </message>
    <message>
        <source>Report d&amp;elay…</source>
        <translation>报告进度延误(&amp;E)…</translation>
    </message>
    <message>
        <source>De&amp;tails…</source>
        <translation>详情(&amp;T)…</translation>
    </message>
    <message>
        <source>Teams today — drop a car on a team to dispatch it</source>
        <translation>今日班组 — 把车辆拖到班组上即可派工</translation>
    </message>
    <message>
        <source>No crew</source>
        <translation>未派人员</translation>
    </message>
    <message>
        <source>Required on site {time}</source>
        <translation>要求到达 {time}</translation>
    </message>
    <message>
        <source>Field (out now)</source>
        <translation>外出服务(在外)</translation>
    </message>
</context>
<context>
    <name>WorkshopDelayDialog</name>
    <message>
        <source>Report a delay</source>
        <translation>报告进度延误</translation>
    </message>
    <message>
        <source>Promised so far:</source>
        <translation>原预计完工时间：</translation>
    </message>
    <message>
        <source>&amp;New promised time:</source>
        <translation>新的预计完工时间(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
    <message>
        <source>e.g. parts arrive tomorrow morning</source>
        <translation>例如：配件明天上午到</translation>
    </message>
    <message>
        <source>The service advisor is told and calls the customer.</source>
        <translation>系统会通知服务顾问，由其致电顾客。</translation>
    </message>
</context>
<context>
    <name>WorkshopDetailDialog</name>
    <message>
        <source>Car in the workshop</source>
        <translation>在修车辆</translation>
    </message>
</context>
<context>
    <name>WorkshopDispatchDialog</name>
    <message>
        <source>Dispatch</source>
        <translation>派工</translation>
    </message>
    <message>
        <source>&amp;Team:</source>
        <translation>班组(&amp;T)：</translation>
    </message>
    <message>
        <source>Te&amp;chnician:</source>
        <translation>维修技师(&amp;C)：</translation>
    </message>
    <message>
        <source>Priority:</source>
        <translation>派工优先度：</translation>
    </message>
    <message>
        <source>&amp;Urgent</source>
        <translation>紧急(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Normal</source>
        <translation>普通(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Low</source>
        <translation>低(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
    <message>
        <source>Why the job moves to another team</source>
        <translation>改派原因</translation>
    </message>
    <message>
        <source>Reason to &amp;go on:</source>
        <translation>继续派工的原因(&amp;G)：</translation>
    </message>
    <message>
        <source>Why this technician works without the certification</source>
        <translation>为何此维修技师在无上岗培训的情况下作业</translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation>重新读取(&amp;L)</translation>
    </message>
</context>
</TS>